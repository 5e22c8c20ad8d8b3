"""appointments (预约) and alerts (电子监察)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 21:45:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'appointments',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('site_id', sa.Integer(), sa.ForeignKey('sites.id'), nullable=False),
        sa.Column('category_id', sa.Integer(), sa.ForeignKey('categories.id'), nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('slot_start', sa.DateTime(), nullable=False),
        sa.Column('slot_end', sa.DateTime(), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('checked_in_at', sa.DateTime(), nullable=True),
        sa.Column('ticket_id', sa.Integer(), sa.ForeignKey('tickets.id'), nullable=True),
        sa.UniqueConstraint('site_id', 'code'),
    )
    op.create_index('ix_appointments_slot', 'appointments', ['site_id', 'slot_start'])
    op.create_table(
        'alerts',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('site_id', sa.Integer(), sa.ForeignKey('sites.id'), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('subject', sa.String(length=64), nullable=False),
        sa.Column('detail', sa.JSON(), nullable=False),
        sa.Column('raised_at', sa.DateTime(), nullable=False),
        sa.Column('cleared_at', sa.DateTime(), nullable=True),
        sa.Column('acknowledged_at', sa.DateTime(), nullable=True),
        sa.Column('acknowledged_by', sa.Integer(), sa.ForeignKey('staff.id'), nullable=True),
    )
    op.create_index('ix_alerts_open', 'alerts', ['site_id', 'cleared_at'])


def downgrade() -> None:
    op.drop_index('ix_alerts_open', table_name='alerts')
    op.drop_table('alerts')
    op.drop_index('ix_appointments_slot', table_name='appointments')
    op.drop_table('appointments')
