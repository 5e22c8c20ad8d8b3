"""events by time: a report reads one site's events of its date range through an index
instead of every event the site ever logged

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-28 14:30:00
"""
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_at', 'events', ['site_id', 'at'])


def downgrade() -> None:
    op.drop_index('ix_events_at', table_name='events')
