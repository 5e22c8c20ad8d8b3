"""waiting heads: a call reads the head of each (category, class) queue by one index seek,
tickets transferred to a window through a small partial index, and a window's own tickets by
its index, whatever the queue's length and the table's history

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 12:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Serves everything ix_tickets_queue did (counts and waits per category, people ahead, the
    # day's roll-over), with the day and class in it; id last so ties need no sort.
    op.create_index('ix_tickets_waiting', 'tickets',
                    ['site_id', 'service_date', 'status', 'category_id', 'priority_class',
                     'queued_at', 'id'])
    op.create_index('ix_tickets_target', 'tickets',
                    ['target_window_id', 'site_id', 'service_date', 'status'],
                    sqlite_where=sa.text('target_window_id IS NOT NULL'),
                    postgresql_where=sa.text('target_window_id IS NOT NULL'))
    # A window's own tickets (is it busy? what does its console show?): was a full-table scan.
    op.create_index('ix_tickets_window', 'tickets', ['window_id', 'status'])
    op.drop_index('ix_tickets_queue', table_name='tickets')


def downgrade() -> None:
    op.create_index('ix_tickets_queue', 'tickets', ['site_id', 'status', 'category_id', 'queued_at'])
    op.drop_index('ix_tickets_window', table_name='tickets')
    op.drop_index('ix_tickets_target', table_name='tickets')
    op.drop_index('ix_tickets_waiting', table_name='tickets')
