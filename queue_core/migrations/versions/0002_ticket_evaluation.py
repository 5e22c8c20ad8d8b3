"""ticket evaluation (好差评)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 18:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tickets') as batch_op:
        batch_op.add_column(sa.Column('evaluation_level', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('evaluation_reason', sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column('evaluated_at', sa.DateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tickets') as batch_op:
        batch_op.drop_column('evaluated_at')
        batch_op.drop_column('evaluation_reason')
        batch_op.drop_column('evaluation_level')
