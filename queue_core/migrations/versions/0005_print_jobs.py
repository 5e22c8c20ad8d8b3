"""print jobs: durable from the issuing transaction, resumed after a restart or by another instance

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'print_jobs',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('site_id', sa.Integer(), sa.ForeignKey('sites.id'), nullable=False),
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), nullable=False),
        sa.Column('printer_code', sa.String(32), nullable=False),
        sa.Column('copy', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.String(200), nullable=True),
        sa.Column('may_have_printed', sa.Boolean(), nullable=False),
        sa.Column('owner', sa.String(64), nullable=True),
        sa.Column('lease_until', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('finished_at', sa.DateTime(), nullable=True),
        sa.UniqueConstraint('ticket_id', 'copy'),
    )
    op.create_index('ix_print_jobs_open', 'print_jobs', ['state', 'lease_until'])


def downgrade() -> None:
    op.drop_index('ix_print_jobs_open', table_name='print_jobs')
    op.drop_table('print_jobs')
