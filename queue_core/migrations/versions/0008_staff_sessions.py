"""staff sessions: console sign-ins kept on the server so they can be ended (logout, a password
change, a deactivation) and expire when idle

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-29 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staff_sessions',
        sa.Column('id', sa.String(64), primary_key=True),
        sa.Column('staff_id', sa.Integer(), sa.ForeignKey('staff.id'), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('end_reason', sa.String(16), nullable=True),
        sa.Column('address', sa.String(64), nullable=False),
        sa.Column('user_agent', sa.String(200), nullable=False),
    )
    op.create_index('ix_staff_sessions_staff', 'staff_sessions', ['staff_id', 'ended_at'])
    op.create_index('ix_staff_sessions_open', 'staff_sessions', ['ended_at', 'last_seen_at'])


def downgrade() -> None:
    op.drop_table('staff_sessions')
