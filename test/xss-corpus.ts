/**
 * XSS vectors (OWASP filter-evasion cheat sheet style, SVG/MathML, javascript: URLs, entity tricks), used as
 * template HTML and as tag values. Every vector that could run calls `window.__xss(n)`, so a browser test can
 * detect execution by defining that function.
 */
export const XSS_CORPUS: string[] = [
  `<script>__xss(1)</script>`,
  `<img src=x onerror="__xss(2)">`,
  `<IMG SRC="jav&#x09;ascript:__xss(3)">`,
  `<a href="javascript:__xss(4)">click</a>`,
  `<a href="JaVaScRiPt:__xss(5)">click</a>`,
  `<a href="jav&#x61;script&colon;__xss(6)">click</a>`,
  `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;__xss(7)">click</a>`,
  `<svg onload="__xss(8)"><circle r="1"/></svg>`,
  `<svg><script>__xss(9)</script></svg>`,
  `<math><mtext><table><mglyph><style><img src=x onerror="__xss(10)"></style></mglyph></table></mtext></math>`,
  `<iframe src="javascript:__xss(11)"></iframe>`,
  `<iframe srcdoc="<script>parent.__xss(12)</script>"></iframe>`,
  `<object data="javascript:__xss(13)"></object>`,
  `<embed src="javascript:__xss(14)">`,
  `<body onload="__xss(15)">`,
  `<div style="background:url(javascript:__xss(16))">x</div>`,
  `<div style="width:expression(__xss(17))">x</div>`,
  `<details open ontoggle="__xss(18)">x</details>`,
  `<form><button formaction="javascript:__xss(19)">x</button></form>`,
  `<input autofocus onfocus="__xss(20)">`,
  `<meta http-equiv="refresh" content="0;url=javascript:__xss(21)">`,
  `<base href="javascript:__xss(22)//">`,
  `<!--<img src=x onerror="__xss(23)">-->`,
  `<noscript><p title="</noscript><img src=x onerror=__xss(24)>"></noscript>`,
  `<a href=" &#14;  javascript:__xss(25)">x</a>`,
  `<img src="x" onerror  =  "__xss(26)">`,
  `<table background="javascript:__xss(27)"><tr><td>x</td></tr></table>`,
  `<style>@import "javascript:__xss(28)";</style>`,
  `<template><img src=x onerror="__xss(29)"></template>`,
  `"><script>__xss(30)</script>`,
  `'><img src=x onerror=__xss(31)>`,
  `<scr<script>ipt>__xss(32)</scr</script>ipt>`,
  `<video><source onerror="__xss(33)"></video>`,
  `<a href="data:text/html;base64,PHNjcmlwdD5wYXJlbnQuX194c3MoMzQpPC9zY3JpcHQ+">x</a>`,
  `<img src=x:alert(alt) onerror=eval(src) alt=0>`,
];

/** Things that must not survive sanitization (lower-cased check). */
export const FORBIDDEN_AFTER_SANITIZE = [/<script/i, /\son[a-z]+\s*=/i, /javascript:/i, /<iframe/i, /<object/i, /<embed/i, /<svg/i, /<math/i, /<base/i, /<form/i, /<input/i, /http-equiv/i, /expression\(/i, /data:text\/html/i, /<template/i, /<style/i];
