"""alerts settle: an alert clears only once its condition has stayed away a while

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 09:15:00
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('alerts') as batch:
        batch.add_column(sa.Column('gone_since', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('alerts') as batch:
        batch.drop_column('gone_since')
