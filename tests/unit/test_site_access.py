"""Where a caller may act: one check (service/access.require_site) for every use case, the API,
the manager pages and the Socket.IO feed."""
import pytest

from queue_core.domain.errors import Forbidden
from queue_core.service.access import require_site
from queue_core.service.unit_of_work import SYSTEM, Actor

KIOSK_OF_1 = Actor(kind="device", id=7, role="kiosk", site_id=1)
MANAGER_OF_1 = Actor(kind="staff", id=3, role="manager", site_id=1)
ADMIN = Actor(kind="staff", id=1, role="admin", site_id=None)


@pytest.mark.parametrize("actor", [KIOSK_OF_1, MANAGER_OF_1])
def test_a_device_or_a_sites_staff_is_refused_on_another_site(actor):
    require_site(actor, 1)
    with pytest.raises(Forbidden) as refused:
        require_site(actor, 2)
    assert refused.value.params == {"action": "other_site"}


@pytest.mark.parametrize("actor", [ADMIN, SYSTEM, None])
def test_an_admin_the_system_and_public_callers_are_not_held_to_a_site(actor):
    require_site(actor, 2)
