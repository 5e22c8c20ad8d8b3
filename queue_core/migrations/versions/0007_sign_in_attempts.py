"""sign-in attempts: the throttle's memory (failures per account and per address) and audit

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 10:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'sign_in_attempts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('username', sa.String(64), nullable=False),
        sa.Column('address', sa.String(64), nullable=False),
        sa.Column('ok', sa.Boolean(), nullable=False),
    )
    op.create_index('ix_sign_in_attempts_user', 'sign_in_attempts', ['username', 'at'])
    op.create_index('ix_sign_in_attempts_address', 'sign_in_attempts', ['address', 'at'])


def downgrade() -> None:
    op.drop_table('sign_in_attempts')
