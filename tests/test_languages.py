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
