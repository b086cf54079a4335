/** The HTML frame of every sandbox's pages: a small mobile card, no script. */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A page titled `title`, its card headed by the sandbox's name (`CodePay sandbox`, `epay sandbox`). */
export function layout(sandboxName: string, title: string, content: string): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#222}
main{max-width:420px;margin:0 auto;padding:24px 16px;text-align:center}
.card{background:#fff;border-radius:12px;padding:24px;box-shadow:0 1px 4px #0002}
.amount{font-size:40px;font-weight:700;margin:8px 0}
.note{color:#666;font-size:14px}
.warn{color:#b45309}
.ok{color:#15803d;font-size:20px;font-weight:600}
button{width:100%;font-size:18px;padding:14px;border:0;border-radius:8px;background:#1677ff;color:#fff}
img{width:220px;height:220px;image-rendering:pixelated}
</style>
</head>
<body><main><div class="card">
<p class="note">${escapeHtml(sandboxName)} · 测试环境，不会扣款 (no real money moves)</p>
${content}
</div></main></body>
</html>`;
}
