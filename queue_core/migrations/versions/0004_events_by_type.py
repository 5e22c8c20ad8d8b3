"""events by type: the alert sweep reads each printer's last status every few seconds

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25 22:00:00
"""
from alembic import op


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_events_type', 'events', ['site_id', 'type', 'seq'])


def downgrade() -> None:
    op.drop_index('ix_events_type', table_name='events')
