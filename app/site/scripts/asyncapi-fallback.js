// A small AsyncAPI viewer for when the full one is not built: channels, messages and schemas.
// The page names the document in data-spec-url on #doc.
(function () {
  const target = document.getElementById('doc');
  const url = target.dataset.specUrl;
  const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c]));
  const pre = (v) => '<pre>' + esc(JSON.stringify(v, null, 2)) + '</pre>';
  fetch(url).then((r) => r.json()).then((doc) => {
    const msgs = doc.components.messages, out = [];
    out.push('<h1>' + esc(doc.info.title) + ' ' + esc(doc.info.version) + '</h1>');
    out.push('<div class="desc">' + esc(doc.info.description || '') + '</div>');
    for (const [path, ch] of Object.entries(doc.channels)) {
      out.push('<h2>Channel ' + esc(path) + '</h2><p>' + esc(ch.description || '') + '</p>');
      for (const dir of ['publish', 'subscribe']) {
        const op = ch[dir];
        if (!op) continue;
        out.push('<h2 class="dir">' + esc(op.operationId) + ' — ' + esc(op.summary || dir) + '</h2>');
        for (const ref of op.message.oneOf) {
          const key = ref.$ref.split('/').pop(), m = msgs[key];
          out.push('<h3 id="msg-' + esc(key) + '">' + esc(key) + '</h3><p>' + esc(m.summary || '') + '</p>');
          out.push(pre(m.payload));
        }
      }
    }
    out.push('<h2>Schemas</h2>');
    for (const [name, s] of Object.entries(doc.components.schemas)) {
      out.push('<h3 id="schema-' + esc(name) + '">' + esc(name) + '</h3>' + pre(s));
    }
    target.innerHTML = out.join('\n');
  }).catch((e) => { target.textContent = 'Could not load ' + url + ': ' + e; });
})();
