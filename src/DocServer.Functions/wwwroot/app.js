'use strict';
// The DocServer page: a streamed ask, its evidence in context, the gates, documents and digests.
// Plain browser JavaScript: no build step, no CDN, works offline on a home network.

const texts = {
  en: {
    key: 'Function key', keyTitle: 'Function key', keyHelp: 'Under Azure Functions, API calls need a function key (Portal: the function app, App keys). It is kept in this browser only.',
    keyLabel: 'Key', save: 'Save', cancel: 'Cancel', askTitle: 'Ask your documents', question: 'Question (Korean or English)', ask: 'Ask', stop: 'Stop',
    answer: 'Answer', evidence: 'Evidence', gatesTitle: 'Model hosts', documentsTitle: 'Documents', upload: 'Add a document', docId: 'Id', docTitle: 'Title',
    docFile: 'File (.md or .txt)', docText: 'or paste text', store: 'Store', digestsTitle: 'Digests', sending: 'Sending…', retrieved: n => `Found ${n} passages; reading them…`,
    queued: (q, holder) => `Waiting, not broken: ${q.position === 0 ? 'next in line' : `${q.position} ahead of you`} for ${q.gate} (${q.call})${holder}.`,
    holder: (p, s) => `; it is busy with ${p === 'Foreground' ? 'another question' : 'background work'} for ${s} s`,
    writing: 'Writing the answer…', done: ms => `Answered in ${(ms / 1000).toFixed(1)} s.`, stopped: 'Stopped.', extractive: reason => `The model could not answer (${reason}); these are the passages themselves.`,
    model: 'model', rule: 'rule fallback', supplement: 'added by rule', relevance: 'relevance', from: 'answered by', noEvidence: 'No evidence found.',
    capacity: 'capacity', holding: 'holding', waiting: 'waiting', oldest: 'oldest wait', host: 'host', hostUp: 'up', hostDown: 'down since', idle: 'idle',
    foreground: 'questions', background: 'background', pending: 'summary pending', delete: 'Delete', deleted: id => `Deleted ${id}.`, stored: id => `Stored ${id}; its summary follows.`,
    noDigest: 'No digest yet.', needKey: 'This call needs a function key: set one with “Function key”.', failed: 'Failed', chunks: 'chunks',
  },
  ko: {
    key: '함수 키', keyTitle: '함수 키', keyHelp: 'Azure Functions에서는 API 호출에 함수 키가 필요합니다(포털: 함수 앱, 앱 키). 키는 이 브라우저에만 저장됩니다.',
    keyLabel: '키', save: '저장', cancel: '취소', askTitle: '문서에 질문하기', question: '질문 (한국어 또는 영어)', ask: '질문', stop: '중지',
    answer: '답변', evidence: '근거', gatesTitle: '모델 호스트', documentsTitle: '문서', upload: '문서 추가', docId: 'ID', docTitle: '제목',
    docFile: '파일 (.md 또는 .txt)', docText: '또는 텍스트 붙여넣기', store: '저장', digestsTitle: '다이제스트', sending: '보내는 중…', retrieved: n => `관련 구절 ${n}개를 찾았습니다. 읽는 중…`,
    queued: (q, holder) => `대기 중입니다(오류 아님): ${q.gate}에서 ${q.position === 0 ? '다음 차례' : `앞에 ${q.position}건`} (${q.call === 'evidence' ? '근거' : '답변'})${holder}.`,
    holder: (p, s) => `. 지금은 ${p === 'Foreground' ? '다른 질문' : '백그라운드 작업'}을 ${s}초째 처리하고 있습니다`,
    writing: '답변을 쓰는 중…', done: ms => `${(ms / 1000).toFixed(1)}초 만에 답했습니다.`, stopped: '중지했습니다.', extractive: reason => `모델이 답할 수 없어(${reason}) 문서의 구절을 그대로 보여 드립니다.`,
    model: '모델', rule: '규칙 대체', supplement: '규칙으로 추가', relevance: '관련도', from: '응답', noEvidence: '근거를 찾지 못했습니다.',
    capacity: '용량', holding: '처리 중', waiting: '대기', oldest: '가장 오랜 대기', host: '호스트', hostUp: '정상', hostDown: '중단 시각', idle: '유휴',
    foreground: '질문', background: '백그라운드', pending: '요약 대기 중', delete: '삭제', deleted: id => `${id}을(를) 삭제했습니다.`, stored: id => `${id}을(를) 저장했습니다. 요약이 곧 이어집니다.`,
    noDigest: '아직 다이제스트가 없습니다.', needKey: '이 호출에는 함수 키가 필요합니다. “함수 키”에서 설정하세요.', failed: '실패', chunks: '청크',
  },
};

let lang = localStorage.getItem('docserver.lang') || (navigator.language.startsWith('ko') ? 'ko' : 'en');
let gates = [];
let running = null;
let lastQueued = null;
const $ = id => document.getElementById(id);
const t = key => texts[lang][key];

function applyTexts() {
  document.documentElement.lang = lang;
  document.querySelectorAll('[data-t]').forEach(el => { el.textContent = t(el.dataset.t); });
  $('lang').textContent = lang === 'ko' ? 'English' : '한국어';
  $('lang').setAttribute('aria-label', lang === 'ko' ? 'View in English' : '한국어로 보기');
}

/** Every API call: the function key, when one is set, goes in the header the Functions host reads. */
function api(path, init = {}) {
  const headers = new Headers(init.headers || {});
  const key = localStorage.getItem('docserver.key');
  if (key) headers.set('x-functions-key', key);
  return fetch(path, { ...init, headers });
}

async function problem(response) {
  if (response.status === 401) return t('needKey');
  try { const body = await response.json(); return body.detail || body.title || `${response.status}`; } catch { return `${t('failed')}: ${response.status}`; }
}

const escape = s => String(s ?? '').replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
const seconds = span => { const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+(?:\.\d+)?)$/.exec(span || ''); return m ? ((+m[1] || 0) * 86400) + (+m[2] * 3600) + (+m[3] * 60) + +m[4] : 0; };

function setStatus(text, kind = '') { $('status').textContent = text; $('status').className = kind; }

/** The answer's text with each [n] a link to its evidence item. */
function renderAnswer(text) {
  $('answer').hidden = false;
  $('answer-text').innerHTML = escape(text).replace(/\[(\d+)\]/g, (_, n) => `<a href="#ev-${n}" data-n="${n}">[${n}]</a>`);
}

function renderEvidence(items) {
  $('evidence').hidden = false;
  const list = $('evidence-list');
  list.innerHTML = '';
  if (!items.length) { list.innerHTML = `<li>${escape(t('noEvidence'))}</li>`; return; }
  for (const item of items) {
    const li = document.createElement('li');
    li.id = `ev-${item.n}`;
    li.value = item.n;
    li.tabIndex = -1;
    const source = item.source === 'Llm' ? t('model') : item.source === 'Supplement' ? t('supplement') : t('rule');
    const at = item.fullWindow.indexOf(item.span);
    const window = at < 0 ? `${escape(item.fullWindow)}\n<mark>${escape(item.span)}</mark>`
      : `${escape(item.fullWindow.slice(0, at))}<mark>${escape(item.span)}</mark>${escape(item.fullWindow.slice(at + item.span.length))}`;
    li.innerHTML = `<strong>${escape(item.title || item.docId)}</strong>${item.sectionTitle ? ` — ${escape(item.sectionTitle)}` : ''}
      <span class="badge">${escape(t('relevance'))} ${item.relevance.toFixed(2)}</span><span class="badge ${item.source === 'Llm' ? '' : 'rule'}">${escape(source)}</span>
      <div class="window">${window}</div>`;
    list.appendChild(li);
  }
}

function holderText(gate) {
  const status = gates.find(g => g.gate === gate);
  const holder = status && status.holders[0];
  return holder ? t('holder')(holder.priority, Math.round(seconds(holder.heldFor))) : '';
}

function handle(type, data, state) {
  if (type !== 'queued' && type !== 'ping') lastQueued = null;
  switch (type) {
    case 'queued': lastQueued = data; setStatus(t('queued')(data, holderText(data.gate)), 'waiting'); break;
    case 'retrieved': setStatus(t('retrieved')(data.results.length)); break;
    case 'evidence': renderEvidence(data.items); setStatus(t('writing')); break;
    case 'token': state.text += data.text; renderAnswer(state.text); setStatus(t('writing')); break;
    case 'done':
      renderAnswer(data.answer);
      renderEvidence(data.evidence);
      $('answer-meta').textContent = [data.extractive ? t('extractive')(data.skipReasons.synthesis || data.skipReasons.evidence) : '',
        data.endpoints.synthesis ? `${t('from')}: ${data.endpoints.synthesis}` : ''].filter(Boolean).join(' ');
      setStatus(t('done')(data.timings.totalMs));
      break;
    case 'error': setStatus(data.detail || data.title, 'error'); break;
    default: break; // ping: the connection is alive
  }
}

/** POST /api/ask/stream and read its server-sent events as they come. */
async function ask(question) {
  running = new AbortController();
  $('stop-button').hidden = false;
  $('answer').hidden = true; $('evidence').hidden = true; $('answer-meta').textContent = '';
  setStatus(t('sending'));
  const state = { text: '' };
  try {
    const response = await api('/api/ask/stream', { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' }, body: JSON.stringify({ question }), signal: running.signal });
    if (!response.ok) { setStatus(await problem(response), 'error'); return; }
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value.replace(/\r\n/g, '\n');
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end); buffer = buffer.slice(end + 2);
        const type = (/^event: ?(.*)$/m.exec(block) || [])[1] || 'message';
        const data = block.split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).replace(/^ /, '')).join('\n');
        if (data) handle(type, JSON.parse(data), state);
      }
    }
  } catch (error) {
    setStatus(error.name === 'AbortError' ? t('stopped') : `${t('failed')}: ${error.message}`, error.name === 'AbortError' ? '' : 'error');
  } finally {
    running = null;
    lastQueued = null;
    $('stop-button').hidden = true;
  }
}

function renderGates(list) {
  const html = list.map(g => {
    const holders = g.holders.map(h => `${escape(h.owner)} (${escape(h.priority === 'Foreground' ? t('foreground') : t('background'))}, ${seconds(h.heldFor).toFixed(0)} s)`).join(', ') || t('idle');
    const health = g.health ? `<span class="down">${escape(t('hostDown'))} ${escape(new Date(g.health.downSince).toLocaleTimeString())}: ${escape(g.health.lastError)}</span>` : `<span class="up">${escape(t('hostUp'))}</span>`;
    return `<div class="gate" data-gate="${escape(g.gate)}"><strong>${escape(g.gate)}</strong>
      <dl><dt>${escape(t('host'))}</dt><dd>${health}</dd>
      <dt>${escape(t('holding'))}</dt><dd>${holders} · ${escape(t('capacity'))} ${g.capacity}</dd>
      <dt>${escape(t('waiting'))}</dt><dd>${escape(t('foreground'))} ${g.waitingForeground} · ${escape(t('background'))} ${g.waitingBackground}</dd>
      <dt>${escape(t('oldest'))}</dt><dd>${g.oldestWait ? `${seconds(g.oldestWait).toFixed(1)} s` : '—'}</dd></dl></div>`;
  }).join('');
  // Replaced only when something changed, so a refresh every second does not flicker or move focus.
  if ($('gate-panel').dataset.html !== html) { $('gate-panel').innerHTML = html; $('gate-panel').dataset.html = html; }
}

async function refreshGates() {
  try {
    const response = await api('/api/gate/status');
    if (response.ok) { gates = await response.json(); renderGates(gates); }
    // While waiting, what holds the host is told from the panel's fresh view, not the last queued event's.
    if (running && lastQueued) setStatus(t('queued')(lastQueued, holderText(lastQueued.gate)), 'waiting');
  } finally { setTimeout(refreshGates, 1000); }
}

/** Every page of the document list (the API hands them out a page at a time). */
async function allDocuments() {
  const documents = [];
  let token = null;
  do {
    const response = await api(`/api/documents?pageSize=500${token ? `&continuationToken=${encodeURIComponent(token)}` : ''}`);
    if (!response.ok) throw new Error(await problem(response));
    const page = await response.json();
    documents.push(...page.items);
    token = page.continuationToken;
  } while (token);
  return documents;
}

async function refreshDocuments() {
  let documents;
  try { documents = await allDocuments(); } catch (error) { $('documents-status').textContent = error.message; return; }
  documents.sort((a, b) => (b.ingestedAt || '').localeCompare(a.ingestedAt || ''));
  const list = $('document-list');
  list.innerHTML = '';
  for (const d of documents) {
    const li = document.createElement('li');
    li.innerHTML = `<strong>${escape(d.title)}</strong> <span class="muted">${escape(d.id)} · ${d.chunks} ${escape(t('chunks'))}</span>
      <p>${d.summary ? escape(d.summary) : `<span class="muted">${escape(t('pending'))}</span>`}</p>
      ${d.keywords && d.keywords.length ? `<p class="muted">${d.keywords.map(escape).join(' · ')}</p>` : ''}`;
    const remove = document.createElement('button');
    remove.type = 'button'; remove.textContent = t('delete'); remove.setAttribute('aria-label', `${t('delete')} ${d.title}`);
    remove.addEventListener('click', async () => {
      const deleted = await api(`/api/documents/${encodeURIComponent(d.id)}`, { method: 'DELETE' });
      $('documents-status').textContent = deleted.ok ? t('deleted')(d.id) : await problem(deleted);
      await refreshDocuments();
    });
    li.appendChild(remove);
    list.appendChild(li);
  }
}

async function upload(event) {
  event.preventDefault();
  const id = $('doc-id').value.trim(), title = $('doc-title').value.trim() || id, file = $('doc-file').files[0];
  let response;
  if (file) {
    const form = new FormData(); form.append('file', file); form.append('id', id); form.append('title', title);
    response = await api('/api/documents', { method: 'POST', body: form });
  } else {
    response = await api('/api/documents', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ id, title, content: $('doc-text').value, contentType: 'markdown' }) });
  }
  $('documents-status').textContent = response.ok ? t('stored')(id) : await problem(response);
  if (response.ok) { $('upload-form').reset(); await refreshDocuments(); }
}

/** The little markdown a digest uses (headings, list items, paragraphs), escaped first, as HTML. */
function markdown(text) {
  return text.split(/\n{2,}/).map(block => {
    const heading = /^(#{1,3}) (.*)$/.exec(block);
    if (heading) return `<h${heading[1].length + 2}>${escape(heading[2])}</h${heading[1].length + 2}>`;
    if (/^- /m.test(block)) return `<ul>${block.split('\n').filter(l => l.startsWith('- ')).map(l => `<li>${escape(l.slice(2))}</li>`).join('')}</ul>`;
    return `<p>${escape(block)}</p>`;
  }).join('');
}

async function refreshDigests() {
  const latest = await api('/api/digests/latest?format=md');
  if (latest.ok) $('digest-latest').innerHTML = markdown(await latest.text()); else $('digest-latest').textContent = t('noDigest');
  const list = await api('/api/digests');
  if (!list.ok) return;
  // Digest ids are their UTC creation time (20261123T070000Z), newest first; the first is the one shown above.
  const when = id => { const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(id); return m ? new Date(Date.UTC(+m[1], m[2] - 1, +m[3], +m[4], +m[5], +m[6])).toLocaleString() : id; };
  $('digest-list').innerHTML = (await list.json()).slice(1).map(id =>
    `<li><a href="/api/digests/${encodeURIComponent(id)}?format=md">${escape(when(id))}</a></li>`).join('');
}

$('ask-form').addEventListener('submit', event => { event.preventDefault(); if (!running) ask($('question').value.trim()); });
$('question').addEventListener('keydown', event => { if (event.key === 'Enter' && !event.shiftKey) { event.preventDefault(); $('ask-form').requestSubmit(); } });
$('stop-button').addEventListener('click', () => running && running.abort());
$('answer-text').addEventListener('click', event => {
  const n = event.target.dataset && event.target.dataset.n;
  if (!n) return;
  const item = $(`ev-${n}`);
  if (item) { item.classList.add('flash'); item.focus(); setTimeout(() => item.classList.remove('flash'), 1500); }
});
$('upload-form').addEventListener('submit', upload);
$('lang').addEventListener('click', () => { lang = lang === 'ko' ? 'en' : 'ko'; localStorage.setItem('docserver.lang', lang); applyTexts(); refreshDocuments(); refreshDigests(); renderGates(gates); });
$('key-button').addEventListener('click', () => { $('key-input').value = localStorage.getItem('docserver.key') || ''; $('key-dialog').showModal(); });
$('key-dialog').addEventListener('close', () => {
  if ($('key-dialog').returnValue !== 'save') return;
  const key = $('key-input').value.trim();
  if (key) localStorage.setItem('docserver.key', key); else localStorage.removeItem('docserver.key');
  refreshDocuments(); refreshDigests();
});

applyTexts();
refreshGates();
refreshDocuments();
refreshDigests();
