"""GET /api/v1/labels: the pages' one table of labels, public, in the asked language, cacheable."""
from queuehall.app import create_app


def test_labels_are_served_in_the_asked_language_and_revalidate_with_304(settings, clock):
    client = create_app(settings, clock=clock).test_client()
    zh = client.get("/api/v1/labels?lang=zh")
    assert zh.status_code == 200
    assert zh.get_json()["labels"]["backup_triggers"]["over_target"] == "该类别等候超时，启用B岗"
    en = client.get("/api/v1/labels", headers={"Accept-Language": "en-GB"})
    assert en.get_json()["labels"]["call_rules"]["transferred_to_window"] == \
        "Transferred to this window"
    assert "Accept-Language" in en.headers["Vary"]
    again = client.get("/api/v1/labels?lang=zh", headers={"If-None-Match": zh.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/api/v1/labels?lang=fr").status_code == 400
