import pytest

pytestmark = pytest.mark.django_db

PAGES = ["/", "/products/rover-a/", "/configure/rover-a/", "/my/configurations/", "/compare/"]


def test_the_switcher_turns_pages_into_simplified_chinese(client, maker_a):
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})

    page = client.get(response["Location"]).content.decode()
    assert '<html lang="zh-hans">' in page
    assert "配置你自己的产品" in page
    assert "起价 ¥100,000.00" in page  # prices stay in CNY
    assert 'value="en"' in page  # and the way back


def test_a_chinese_browser_gets_chinese_pages(client, maker_a):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9").content.decode()

    assert "配置你自己的产品" in page


@pytest.mark.parametrize("url", PAGES)
def test_every_page_renders_in_both_languages(client, maker_a, url):
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-Hans")

    assert english.status_code == chinese.status_code == 200
    assert '<html lang="zh-hans">' in chinese.content.decode()


def test_the_configurator_speaks_chinese(client, maker_a):
    page = client.get("/configure/rover-a/", {"g_PAINT": "RED"}, HTTP_ACCEPT_LANGUAGE="zh-Hans")

    text = page.content.decode()
    assert "帮我补全（最便宜）" in text
    assert "保存此配置" in text


def test_reasons_and_field_errors_follow_the_readers_language(client, maker_a):
    body = {"options": ["TOWBAR"], "texts": {"NICKNAME": "R2-D2"}}
    english = client.post("/api/products/rover-a/evaluate/", body, "application/json")
    chinese = client.post(
        "/api/products/rover-a/evaluate/", body, "application/json", HTTP_ACCEPT_LANGUAGE="zh-Hans"
    )
    again = client.post(
        "/api/products/rover-a/evaluate/", {"options": ["TOWBAR"]}, "application/json"
    )

    assert chinese.json() == {"NICKNAME": ["Nickname：包含不允许的字符。"]}
    assert english.json() == {"NICKNAME": ["Nickname: contains characters that are not allowed."]}
    # The reason was cached in English; read in Chinese it is still put together in Chinese.
    red = client.post(
        "/api/products/rover-a/evaluate/",
        {"options": ["TOWBAR"]},
        "application/json",
        HTTP_ACCEPT_LANGUAGE="zh-Hans",
    ).json()
    reason = next(s for s in red["states"] if s["code"] == "RED")["reason"]["text"]
    assert reason == "与Tow bar（Extras）不兼容：No red tow cars."
    assert again.status_code == 200
