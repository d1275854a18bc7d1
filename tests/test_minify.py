"""Published assets: minified where that is safe, byte-for-byte otherwise."""

from duizhao.pages.assets import asset


def test_css_and_js_lose_comments_and_indentation() -> None:
    css = b"/* note */\n.a {\n  color: red;\n}\n"
    assert asset("x.css", css) == b".a{color:red}\n"
    js = b"// note\nfunction f(a) {\n  return a + 1;\n}\n"
    assert asset("x.js", js) == b"function f(a){return a+1;}\n"


def test_scripts_with_template_literals_are_left_alone() -> None:
    js = b"const where = `${a} \xc2\xb7 ${b}`;  // spaces inside matter\n"
    assert asset("search.js", js) == js
    assert asset("favicon.svg", b"<svg/>") == b"<svg/>"
