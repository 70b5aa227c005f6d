"""The knowledge base in a real browser: an agent finds an answer, a supervisor writes one.

`hotline demo` seeds the example 95598 articles (examples/95598/kb), so 停电 finds the outage
FAQ; the highlights are the API's own `<mark>` markup, shown as markup, not as text.
"""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DemoServer, Shot, log_in


def test_an_agent_searches_and_opens_an_article(demo: DemoServer, page: Page, shot: Shot) -> None:
    log_in(page, demo.url, "9001")
    page.click("#nav-kb")
    page.wait_for_url(f"{demo.url}/kb")
    expect(page.locator("h1")).to_have_text("知识库")
    expect(page.locator("#kb-hits li").first).to_have_attribute(
        "data-id", re.compile(r"^\d+$")
    )  # browsing
    assert page.locator("#kb-new").count() == 0  # agents read, they do not edit

    page.fill("#kb-q", "停电")
    page.press("#kb-q", "Enter")
    expect(page.locator("#kb-results-title")).to_have_text("搜索结果")
    first_mark = page.locator("#kb-hits li .hit-title mark").first
    expect(first_mark).to_have_text("停电")
    expect(page.locator("#kb-hits li .hit-snippet mark").first).to_be_visible()
    assert "&lt;mark" not in page.inner_html("#kb-hits")  # markup, not escaped text

    hit = page.locator("#kb-hits li").filter(has_text="家里突然停电了怎么办")
    hit.locator("button").click()
    expect(page.locator("#kb-article-title")).to_have_text("家里突然停电了怎么办？")
    expect(page.locator("#kb-article-body")).to_contain_text("停电")
    expect(page.locator("#kb-article-meta")).to_contain_text("停电报修")
    shot(page, "kb")
    expect(page).to_have_url(
        f"{demo.url}/kb?q=%E5%81%9C%E7%94%B5&article={hit.get_attribute('data-id')}"
    )


def test_a_search_of_only_punctuation_shows_the_apis_message(demo: DemoServer, page: Page) -> None:
    log_in(page, demo.url, "qa")
    page.goto(f"{demo.url}/kb")
    page.fill("#kb-q", "？！，。")
    page.click("#kb-submit")
    message = page.locator("#kb-message")
    expect(message).to_be_visible()
    expect(message).to_contain_text("has no words to look for")


def test_the_supervisor_writes_an_article_and_finds_it_by_its_body(
    demo: DemoServer, page: Page
) -> None:
    log_in(page, demo.url, "supervisor")
    page.goto(f"{demo.url}/kb")
    page.click("#kb-new")
    editor = page.locator("#kb-editor")
    expect(editor).to_be_visible()

    # a blank title: the API refuses it (body.title) and the form says so beside the title
    page.fill("#kb-f-title", "   ")
    page.fill("#kb-f-category", "停电报修")
    page.fill("#kb-f-body", "客户家的鹦鹉咬断了电线，请先断开总闸，再拨打 95598 报修。")
    page.click("#kb-save")
    title_error = editor.locator('[data-error-for="title"]')
    expect(title_error).to_be_visible()
    expect(title_error).to_contain_text("title")
    expect(page.locator("#kb-f-title")).to_have_class("invalid")
    expect(editor.locator('[data-error-for="body"]')).to_be_hidden()

    page.fill("#kb-f-title", "宠物咬断电线怎么处理？")
    page.fill("#kb-f-tags", "安全用电, 报修")
    page.click("#kb-save")
    expect(page.locator("#kb-article-title")).to_have_text("宠物咬断电线怎么处理？")
    expect(title_error).to_be_hidden()
    expect(page.locator("#kb-message")).to_have_text("文章已创建")

    page.fill("#kb-q", "鹦鹉")
    page.press("#kb-q", "Enter")
    expect(page.locator("#kb-hits li")).to_have_count(1)
    expect(page.locator("#kb-hits li .hit-title")).to_have_text("宠物咬断电线怎么处理？")
    expect(page.locator("#kb-hits li .hit-snippet mark")).to_have_text("鹦鹉")

    page.once("dialog", lambda dialog: dialog.accept())
    page.click("#kb-delete")
    expect(page.locator("#kb-message")).to_have_text("文章已删除")
    page.press("#kb-q", "Enter")
    expect(page.locator("#kb-hits")).to_have_text("没有找到相关文章")


def test_an_agent_searches_from_the_desk_without_leaving_it(demo: DemoServer, page: Page) -> None:
    log_in(page, demo.url, "9003")
    expect(page).to_have_url(re.compile(r"/desk$"))
    page.fill("#kbp-q", "电费")
    page.click("#kbp-submit")
    expect(page.locator("#kbp-hits li mark").first).to_have_text("电费")
    page.locator("#kbp-hits li button").first.click()
    expect(page.locator("#kbp-article")).to_be_visible()
    expect(page.locator("#kbp-title")).not_to_be_empty()
    expect(page).to_have_url(re.compile(r"/desk$"))  # still at the desk
