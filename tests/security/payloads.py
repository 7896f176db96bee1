"""Hostile HTML bodies, by class. Each one, if any of it survives as markup, runs ``xss()``:
it sets ``window.__xss`` and the title to "XSS" (the browser test looks for both, and for dialogs)."""

X = "window.__xss=1;document.title='XSS'"

PAYLOADS = {
    # comments and CDATA inside p/li, closing early or nested (the three live variants first)
    "comment_closes_early": f'<p>正文<!--x--><img src=x.png onerror="{X}">--></p>',
    "comment_bang_close": f'<p>正文<!-- --!><img src=x.png onerror="{X}">--></p>',
    "comment_in_li": f'<ul><li>要点<!--<img src=x.png onerror="{X}">-->二</li></ul>',
    "comment_nested": f'<p>a<!-- <!-- --><img src=x.png onerror="{X}"> --></p>',
    "comment_dashes": f'<p>b<!---><img src=x.png onerror="{X}"><!----></p>',
    "conditional_comment": f"<p>c</p><!--[if IE]><script>{X}</script><![endif]-->",
    "cdata": f'<p><![CDATA[<img src=x.png onerror="{X}">]]></p>',
    "cdata_in_li": f'<ol><li><![CDATA[ ]]><img src=x.png onerror="{X}"></li></ol>',
    # event handlers and script
    "onerror": f'<p><img src=x.png onerror="{X}"></p>',
    "onclick_autofocus": f'<p><a href="/x" onfocus="{X}" autofocus tabindex=1>链接</a></p>',
    "script": f"<p>d</p><script>{X}</script>",
    "script_upper": f"<P>e</P><SCRIPT>{X}</SCRIPT>",
    # URL schemes with entity, whitespace and case tricks
    "javascript": f'<p><a href="javascript:{X}">f</a></p>',
    "javascript_case": f'<p><a href=" JaVaScRiPt:{X}">g</a></p>',
    "javascript_tab_entity": f'<p><a href="java&#x09;script:{X}">h</a></p>',
    "javascript_newline": f'<p><a href="java\nscript:{X}">i</a></p>',
    "javascript_decimal_entities": '<p><a href="&#106;&#97;vascript:window.__xss=1">j</a></p>',
    "javascript_colon_entity": f'<p><a href="javascript&colon;{X}">k</a></p>',
    "vbscript": '<p><a href="vbscript:msgbox(1)">l</a></p>',
    "data_html": '<p><a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">m</a></p>',
    "img_javascript": f'<p><img src="javascript:{X}"></p>',
    # foreign content and dangerous elements
    "svg_onload": f'<p><svg onload="{X}"><circle r=1></circle></svg></p>',
    "svg_script": f"<svg><script>{X}</script></svg><p>n</p>",
    "math_mxss": f'<math><mtext><table><mglyph><style><img src=x.png onerror="{X}"></style></mglyph></table></mtext></math>',
    "style_tag": f"<style>@import 'x';</style><p>o</p><style><img src=x.png onerror=\"{X}\"></style>",
    "iframe_srcdoc": f'<iframe srcdoc="<script>parent.{X}</script>"></iframe><p>p</p>',
    "object_data": '<object data="javascript:window.__xss=1"></object><p>q</p>',
    "embed": '<embed src="javascript:window.__xss=1"><p>r</p>',
    "base": '<base href="//evil.example/"><p><a href="/x">s</a></p>',
    "meta_refresh": '<meta http-equiv="refresh" content="0;url=javascript:window.__xss=1"><p>t</p>',
    "form": f'<form action="javascript:{X}"><button>提交</button></form><p>u</p>',
    "noscript_mxss": f'<noscript><p title="</noscript><img src=x.png onerror=\\"{X}\\">"></noscript>',
    "template": f'<template><img src=x.png onerror="{X}"></template><p>v</p>',
    "textarea_breakout": f'<textarea></textarea><img src=x.png onerror="{X}"></textarea>',
    # attributes that must go
    "img_style_srcset": f'<p><img src="a.png" style="x:expression({X})" srcset="javascript:x 1x"></p>',
    "p_style": '<p style="background:url(javascript:window.__xss=1)">w</p>',
    # off-site links dressed as site paths
    "protocol_relative": '<p><a href="//evil.example/x">x</a></p>',
    "backslash_path": '<p><a href="/\\evil.example/">y</a></p>',
    "backslashes": '<p><a href="\\\\evil.example\\x">z</a></p>',
}
