/*! faqbot widget: clinic FAQ chat. Vanilla JS, no dependencies, safe under a strict CSP. */
(function () {
  'use strict';
  // currentScript is only available while the script first runs, so read the configuration now.
  var script = document.currentScript;
  if (!script || window.__faqbotWidget) { return; }
  window.__faqbotWidget = true;

  var data = script.dataset;
  var scriptUrl = new URL(script.src, location.href);
  var API = new URL(data.api || '/', scriptUrl).href.replace(/\/+$/, '');
  var CLINIC = (data.clinicName || 'Our clinic').slice(0, 80);
  var BRAND = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(data.color || '') ? data.color : '#0a5c63';
  var LEFT = data.position === 'left';
  var THEME = data.theme === 'light' || data.theme === 'dark' ? data.theme : 'auto';
  var KEY = 'faqbot:' + API;
  var MAX_SAVED = 50;
  var PHONE = window.matchMedia('(max-width: 639.98px)');

  // Every visible string, so a clinic can translate or reword them with data-strings='{"send": "…"}'.
  var T = {
    launcher: 'Ask a question', close: 'Close chat', assistant: 'Automated assistant',
    greeting: "Hello! Ask me about acupuncture or dry needling. I answer from the clinic's own documents.",
    notice: "General information from the clinic's documents, not medical advice. In an emergency call {number}.",
    conversation: 'Conversation', you: 'You:', bot: 'Assistant:', label: 'Your question',
    placeholder: 'Type your question', send: 'Send', typing: 'The assistant is typing', notSent: 'Not sent',
    clear: 'Clear conversation', clearAsk: 'Clear the whole conversation?', clearYes: 'Clear', clearNo: 'Cancel',
    cleared: 'Conversation cleared.', source: 'Source:', reviewed: 'reviewed', published: 'published',
    more: 'Read the whole section', pleaseNote: 'Please note:', safety: 'Safety information', urgent: 'Urgent',
    call: 'Call {number}', contact: 'Contact the clinic', phone: 'Phone:', book: 'Book an appointment',
    hours: 'Opening hours:', address: 'Address:',
    rate: 'Was this answer helpful?', helpful: 'Helpful', notHelpful: 'Not helpful',
    lookingFor: 'What were you looking for? (optional)', sendFeedback: 'Send feedback',
    thanks: 'Thanks for your feedback.',
    failed: 'Sorry, the message could not be sent. Please check your connection and try again.',
    busy: 'Sorry, too many messages at once. Please wait {wait} and try again.',
    second: '1 second', seconds: '{n} seconds', fewSeconds: 'a few seconds',
    error: 'Sorry, something went wrong. Please try again.'
  };
  (function override() {
    var custom;
    try { custom = JSON.parse(data.strings || '{}'); } catch (e) { return; }
    Object.keys(T).forEach(function (key) {
      if (custom && typeof custom[key] === 'string' && custom[key].trim()) { T[key] = custom[key].slice(0, 300); }
    });
  }());
  var GREETING = data.greeting || T.greeting;
  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return name in values ? values[name] : all; });
  }

  // Only web and data-image URLs, resolved against the page: never javascript: or other schemes.
  function safeUrl(value, allowData) {
    if (!value) { return null; }
    try {
      var url = new URL(String(value), location.href);
      if (url.protocol === 'https:' || url.protocol === 'http:') { return url.href; }
      return allowData && /^data:image\//.test(url.href) ? url.href : null;
    } catch (e) { return null; }
  }
  var AVATAR = safeUrl(data.avatar, true);

  var store = null;
  try { store = data.persist === 'none' ? null : window.sessionStorage; } catch (e) { store = null; }

  // Relative luminance (WCAG 2.1), to pick black or white text that keeps 4.5:1 on the brand colour.
  function luminance(hex) {
    var h = hex.slice(1);
    if (h.length === 3) { h = h[0] + h[0] + h[1] + h[1] + h[2] + h[2]; }
    var c = [0, 2, 4].map(function (i) {
      var v = parseInt(h.slice(i, i + 2), 16) / 255;
      return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  var L = luminance(BRAND);
  var ON_BRAND = (L + 0.05) / 0.05 >= 1.05 / (L + 0.05) ? '#000000' : '#ffffff';

  // Colours are custom properties so dark mode swaps one set; every pair keeps 4.5:1 in both themes.
  var LIGHT = '--bg:#ffffff;--fg:#1a1a1a;--muted:#444444;--border:#767676;--line:#d0d0d0;--bubble:#f4f4f4;' +
    '--bubble-line:#d6d6d6;--chip:#ffffff;--chip-hover:#eeeeee;--chip-line:#5e5e5e;--notice:#f2f2f2;' +
    '--note:#fff8dc;--note-fg:#3d3000;--note-bar:#8a6d00;--urgent:#fdecea;--urgent-line:#b3261e;' +
    '--urgent-fg:#5c0f0a;--urgent-strong:#8c1d18;--error:#8c1d18;--link:#0b57a4;--focus:#1a1a1a;--ring:#ffffff;' +
    '--dot:#555555;color-scheme:light';
  var DARK = '--bg:#1e1f22;--fg:#ececec;--muted:#c8c8c8;--border:#8a8a8a;--line:#3e4046;--bubble:#2b2d31;' +
    '--bubble-line:#4a4c52;--chip:#1e1f22;--chip-hover:#34363b;--chip-line:#a0a0a0;--notice:#26272b;' +
    '--note:#2e2a17;--note-fg:#f3e7b3;--note-bar:#d4b106;--urgent:#3b1512;--urgent-line:#f28b82;' +
    '--urgent-fg:#ffdad6;--urgent-strong:#ffb4ab;--error:#ffb4ab;--link:#8ab4f8;--focus:#ffffff;--ring:#000000;' +
    '--dot:#bbbbbb;color-scheme:dark';
  var SIDE = LEFT ? 'left' : 'right';

  var CSS = [
    ':host{all:initial}',
    '*,*::before,*::after{box-sizing:border-box}',
    '[hidden]{display:none!important}',
    '.root{' + LIGHT + ';--brand:' + BRAND + ';--on-brand:' + ON_BRAND + ';font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--fg)}',
    '.root.dark{' + DARK + '}',
    '@media (prefers-color-scheme:dark){.root.auto{' + DARK + '}}',
    '.launcher{position:fixed;bottom:20px;' + SIDE + ':20px;z-index:2147483000;min-height:48px;padding:12px 20px;border:2px solid var(--on-brand);border-radius:24px;background:var(--brand);color:var(--on-brand);font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3)}',
    'button:focus-visible,input:focus-visible,a:focus-visible,summary:focus-visible,.log:focus-visible{outline:3px solid var(--focus);outline-offset:2px;box-shadow:0 0 0 5px var(--ring)}',
    '.launcher:focus-visible{outline-color:#1a1a1a;box-shadow:0 0 0 5px #ffffff}',
    '.panel{position:fixed;bottom:20px;' + SIDE + ':20px;z-index:2147483001;width:380px;max-width:calc(100vw - 40px);height:min(640px,calc(100vh - 40px));display:flex;flex-direction:column;background:var(--bg);color:var(--fg);border:1px solid var(--border);border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}',
    '.head{display:flex;align-items:center;gap:10px;padding:8px 8px 8px 12px;background:var(--brand);color:var(--on-brand)}',
    '.avatar{flex:none;width:36px;height:36px;border-radius:50%;object-fit:cover;background:var(--on-brand)}',
    '.titles{flex:1;min-width:0}',
    '.head h2{margin:0;font-size:17px;font-weight:700;line-height:1.25;overflow-wrap:anywhere}',
    '.sub{margin:0;font-size:13px}',
    '.close{flex:none;min-width:44px;min-height:44px;border:1px solid transparent;border-radius:8px;background:transparent;color:var(--on-brand);font:inherit;font-size:22px;line-height:1;cursor:pointer}',
    '.close:hover{border-color:var(--on-brand)}',
    '.head .close:focus-visible{outline-color:var(--on-brand);box-shadow:none}',
    '.notice{margin:0;padding:6px 12px;background:var(--notice);font-size:13px;border-bottom:1px solid var(--line)}',
    '.log{flex:1;overflow-y:auto;overscroll-behavior:contain;margin:0;padding:12px}',
    '.msg{margin:0 0 12px;max-width:92%}',
    '.msg p{margin:0 0 8px}',
    '.msg p:last-child{margin-bottom:0}',
    '.bubble ul{margin:0 0 8px;padding-left:22px}',
    '.bubble ul:last-child{margin-bottom:0}',
    '.bubble li{margin:0 0 4px}',
    '.bubble a{color:var(--link)}',
    '.body:focus{outline:none}',
    '.user{margin-left:auto;display:flex;flex-direction:column;align-items:flex-end}',
    '.user .said{padding:8px 12px;border-radius:12px 12px 2px 12px;background:var(--brand);color:var(--on-brand);white-space:pre-wrap;overflow-wrap:anywhere}',
    '.failed{margin:4px 2px 0;font-size:13px;font-weight:600;color:var(--error)}',
    '.bot .bubble{padding:8px 12px;border-radius:12px 12px 12px 2px;background:var(--bubble);border:1px solid var(--bubble-line)}',
    '.more{display:block;margin:4px 0 8px;min-height:36px;padding:4px 12px;border:1px solid var(--chip-line);border-radius:18px;background:var(--chip);color:var(--fg);font:inherit;font-size:14px;cursor:pointer}',
    '.source{margin-top:8px;font-size:13px;color:var(--muted)}',
    '.msg .note{margin:8px 0 0;padding:4px 8px;border-left:4px solid var(--note-bar);background:var(--note);color:var(--note-fg);font-size:14px}',
    '.safety{margin-top:6px;font-size:14px}',
    '.safety summary{min-height:24px;color:var(--muted);cursor:pointer}',
    '.safety p{margin:6px 0 0;padding-left:8px;border-left:2px solid var(--line)}',
    '.caution{font-weight:600;margin-top:8px}',
    '.contact{margin-top:8px;padding:8px 10px;border:1px solid var(--bubble-line);border-radius:8px;background:var(--bg)}',
    '.contact ul{list-style:none;margin:4px 0 0;padding:0}',
    '.contact li{margin:2px 0}',
    '.urgent .bubble{background:var(--urgent);border:2px solid var(--urgent-line);color:var(--urgent-fg)}',
    '.urgent strong.flag{display:block;color:var(--urgent-strong);font-size:17px}',
    '.urgent a{color:var(--urgent-strong);font-weight:700}',
    '.urgent .note{background:transparent;color:inherit}',
    '.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}',
    '.chip{min-height:36px;padding:6px 12px;border:1px solid var(--chip-line);border-radius:18px;background:var(--chip);color:var(--fg);font:inherit;font-size:14px;text-align:left;cursor:pointer}',
    '.chip:hover,.more:hover,.vote:hover{background:var(--chip-hover)}',
    '.rate{display:flex;flex-wrap:wrap;align-items:center;gap:6px;margin-top:8px;font-size:13px;color:var(--muted)}',
    '.vote{min-width:44px;min-height:36px;padding:2px 10px;border:1px solid var(--chip-line);border-radius:18px;background:var(--chip);color:var(--fg);font:inherit;font-size:16px;cursor:pointer}',
    '.vote[aria-disabled="true"]{cursor:default}',
    '.vote svg{display:block;margin:auto}.vote.down svg{transform:rotate(180deg)}',
    '.vote[aria-pressed="true"],.vote[aria-pressed="true"]:hover{background:var(--brand);border-color:var(--on-brand);color:var(--on-brand)}',
    '.comment{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px;font-size:14px}',
    '.comment label{flex-basis:100%}',
    '.comment .link{min-height:44px}',
    '.error{margin:0;padding:0 12px;color:var(--error);font-size:14px}',
    '.error:not(:empty){padding:6px 12px;border-top:1px solid var(--line)}',
    '.typing{min-height:0;padding:0 12px;font-size:14px;color:var(--muted)}',
    '.dots span{display:inline-block;width:7px;height:7px;margin-right:4px;border-radius:50%;background:var(--dot);animation:fb-blink 1.2s infinite ease-in-out}',
    '.dots span:nth-child(2){animation-delay:.2s}.dots span:nth-child(3){animation-delay:.4s}',
    '@keyframes fb-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}',
    'form{display:flex;gap:8px;padding:10px 12px 4px;border-top:1px solid var(--line)}',
    'input{flex:1;min-width:0;min-height:44px;padding:8px 10px;border:1px solid var(--border);border-radius:8px;font:inherit;font-size:16px;color:var(--fg);background:var(--bg)}',
    '.send{min-height:44px;padding:8px 16px;border:2px solid transparent;border-radius:8px;background:var(--brand);color:var(--on-brand);font:inherit;font-weight:600;cursor:pointer}',
    '.tools{display:flex;flex-wrap:wrap;justify-content:flex-end;align-items:center;gap:4px 8px;padding:0 12px 8px;font-size:14px}',
    '.confirm{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px}',
    '.confirm p{margin:0}',
    '.link{min-height:32px;padding:2px 6px;border:0;background:transparent;color:var(--fg);font:inherit;font-size:14px;text-decoration:underline;cursor:pointer}',
    '.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}',
    '@media (max-width:639.98px){.head h2{font-size:16px}.panel{top:0;left:0;right:0;bottom:0;width:100%;max-width:none;height:100vh;height:100dvh;border:0;border-radius:0}}',
    '@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}'
  ].join('\n');

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function button(cls, text) {
    var node = el('button', cls, text);
    node.type = 'button';
    return node;
  }

  function load() {
    var empty = { open: false, state: null, messages: [], greeting: null };
    if (!store) { return empty; }
    try {
      var saved = JSON.parse(store.getItem(KEY) || 'null');
      return saved && Array.isArray(saved.messages) ? saved : empty;
    } catch (e) { return empty; }
  }
  var model = load();
  function save() {
    if (!store) { return; }
    model.messages = model.messages.slice(-MAX_SAVED);
    try { store.setItem(KEY, JSON.stringify(model)); } catch (e) { /* storage full or blocked: keep going */ }
  }

  var host = el('div');
  host.setAttribute('data-faqbot', '');
  var root = host.attachShadow({ mode: 'open' });
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];

  var wrap = el('div', 'root ' + THEME);
  var panel = el('div', 'panel');
  panel.id = 'faqbot-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'faqbot-title');
  panel.setAttribute('aria-describedby', 'faqbot-sub');
  panel.hidden = true;
  var head = el('div', 'head');
  if (AVATAR) {
    var avatar = el('img', 'avatar');
    avatar.alt = '';  // decorative: the title and the "Automated assistant" line say who this is
    avatar.width = 36;
    avatar.height = 36;
    avatar.src = AVATAR;
    head.append(avatar);
  }
  var titles = el('div', 'titles');
  var title = el('h2', null, CLINIC);
  title.id = 'faqbot-title';
  var sub = el('p', 'sub', T.assistant);
  sub.id = 'faqbot-sub';
  titles.append(title, sub);
  var close = button('close', '\u2715');
  close.setAttribute('aria-label', T.close);
  head.append(titles, close);
  var notice = el('p', 'notice');
  var log = el('div', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-label', T.conversation);
  log.tabIndex = 0;
  var typing = el('div', 'typing');
  typing.setAttribute('role', 'status');
  var error = el('p', 'error');
  error.setAttribute('role', 'alert');
  var form = el('form');
  var label = el('label', 'sr', T.label);
  label.htmlFor = 'faqbot-input';
  var input = el('input');
  input.id = 'faqbot-input';
  input.type = 'text';
  input.maxLength = 1000;
  input.autocomplete = 'off';
  input.placeholder = T.placeholder;
  var send = el('button', 'send', T.send);
  send.type = 'submit';
  form.append(label, input, send);
  var tools = el('div', 'tools');
  var clear = button('link clear', T.clear);
  tools.append(clear);
  panel.append(head, notice, log, typing, error, form, tools);
  var launcher = button('launcher', T.launcher);
  launcher.setAttribute('aria-controls', 'faqbot-panel');
  launcher.setAttribute('aria-expanded', 'false');
  wrap.append(panel, launcher);
  root.append(wrap);

  function setNotice(number) { notice.textContent = fill(T.notice, { number: number || '911' }); }

  function chips(suggestions) {
    var box = el('div', 'chips');
    suggestions.slice(0, 4).forEach(function (s) {
      var chip = button('chip', s.question);
      chip.addEventListener('click', function () { input.focus(); ask(s.question); });
      box.append(chip);
    });
    return box;
  }

  // Replies from a server without `blocks` still show their bullet lines as a list.
  function textBlocks(text) {
    return String(text || '').split(/\n{2,}/).map(function (part) {
      var lines = part.trim().split('\n');
      if (lines.every(function (line) { return /^\s*\u2022\s+/.test(line); })) {
        return { type: 'list', items: lines.map(function (line) { return line.replace(/^\s*\u2022\s+/, ''); }) };
      }
      return { type: 'paragraph', text: part.trim() };
    });
  }

  function renderBlocks(parent, blocks) {
    blocks.forEach(function (block) {
      if (block && block.type === 'list' && Array.isArray(block.items)) {
        var list = el('ul');
        block.items.forEach(function (item) { list.append(el('li', null, item)); });
        parent.append(list);
      } else if (block && typeof block.text === 'string' && block.text.trim()) {
        parent.append(el('p', null, block.text));
      }
    });
  }

  function link(text, href) {
    var a = el('a', null, text);
    a.href = href;
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    return a;
  }

  function sourceLine(answer) {
    var src = answer.source || {};
    var where = [src.title].concat(src.path || []).filter(Boolean).join(' \u203a ');
    var date = src.reviewed ? (src.date_kind === 'published' ? T.published : T.reviewed) + ' ' + src.reviewed : '';
    var extra = [src.publisher, date].filter(Boolean).join(', ');
    var line = el('p', 'source', T.source + ' ');
    var url = safeUrl(src.url, false);
    line.append(url ? link(where, url) : document.createTextNode(where));
    if (extra) { line.append(' (' + extra + ')'); }
    return line;
  }

  function renderAnswer(bubble, answer, entry) {
    var short = Array.isArray(answer.blocks) && answer.blocks.length ? answer.blocks : textBlocks(answer.body);
    var whole = Array.isArray(answer.full_blocks) && answer.full_blocks.length ? answer.full_blocks : null;
    var body = el('div', 'body');
    body.tabIndex = -1;
    var expanded = entry && entry.expanded && whole;
    renderBlocks(body, expanded ? whole : short);
    bubble.append(body);
    if (answer.truncated && whole && !expanded) {
      var more = button('more', T.more);
      // The whole section came with the reply, so no request: swap it in and keep focus on the text just shown.
      more.addEventListener('click', function () {
        body.replaceChildren();
        renderBlocks(body, whole);
        more.remove();
        if (entry) { entry.expanded = true; save(); }
        body.focus();
      });
      bubble.append(more);
    }
    bubble.append(sourceLine(answer));
  }

  function telHref(number) {
    var text = String(number || '');
    return /^\+?[0-9][0-9 ().-]{1,30}$/.test(text) ? 'tel:' + text.replace(/[^0-9+]/g, '') : null;
  }

  function contactCard(contact) {
    var card = el('div', 'contact');
    card.append(el('strong', null, T.contact));
    var list = el('ul');
    var tel = telHref(contact.phone);
    if (contact.phone) {
      var phone = el('li', null, T.phone + ' ');
      var call = el('a', null, contact.phone);
      if (tel) { call.href = tel; }
      phone.append(tel ? call : document.createTextNode(contact.phone));
      list.append(phone);
    }
    var booking = safeUrl(contact.booking_url, false);
    if (booking) {
      var book = el('li');
      book.append(link(T.book, booking));
      list.append(book);
    }
    if (contact.hours) { list.append(el('li', null, T.hours + ' ' + contact.hours)); }
    if (contact.address) { list.append(el('li', null, T.address + ' ' + contact.address)); }
    card.append(list);
    // With no detail set (the reply's lead then says so), an empty card would only add a heading.
    return list.children.length ? card : null;
  }

  function renderEmergency(bubble, reply) {
    bubble.append(el('strong', 'flag', T.urgent));
    renderBlocks(bubble, textBlocks(reply.lead || reply.text));
    var tel = reply.emergency_number && reply.emergency_number.length <= 20 &&
      /^\+?[0-9]+(?:[ -][0-9]+)*$/.test(reply.emergency_number) ? 'tel:' + reply.emergency_number.replace(/[ -]/g, '') : null;
    if (tel) {
      var call = el('a', null, fill(T.call, { number: reply.emergency_number }));
      call.href = tel;
      var line = el('p');
      line.append(call);
      bubble.append(line);
    }
  }

  // The most relevant statement stays in view as one line; the others wait behind a disclosure.
  function renderDisclaimers(bubble, disclaimers) {
    if (!Array.isArray(disclaimers) || !disclaimers.length) { return; }
    var first = el('p', 'note');
    first.append(el('strong', null, T.pleaseNote), ' ' + disclaimers[0]);
    bubble.append(first);
    if (disclaimers.length > 1) {
      var details = el('details', 'safety');
      details.append(el('summary', null, T.safety));
      disclaimers.slice(1).forEach(function (d) { details.append(el('p', null, d)); });
      bubble.append(details);
    }
  }

  // Thumbs up or down under an answer. A thumbs down waits for its optional comment line, and is sent with it or
  // as soon as the person moves on (asks again, closes the panel, leaves the page), so each vote is one record.
  var pendingDown = null;
  function postVote(entry, comment) {
    var answer = entry.reply.answer;
    var vote = { answer_id: answer.id, vote: entry.vote };
    if (typeof answer.confidence === 'number') { vote.confidence = answer.confidence; }
    if (entry.vote === 'down') {
      var i = model.messages.indexOf(entry);
      var asked = i > 0 ? model.messages[i - 1] : null;
      if (asked && asked.who === 'user') { vote.question = asked.text.slice(0, 1000); }
      if (comment) { vote.comment = comment.slice(0, 200); }
    }
    fetch(API + '/api/feedback', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(vote), keepalive: true
    }).catch(function () { /* feedback is best effort */ });
  }
  function flushDown(comment) {
    var waiting = pendingDown;
    pendingDown = null;
    if (waiting) {
      waiting.box.remove();
      postVote(waiting.entry, comment);
    }
  }
  window.addEventListener('pagehide', function () { flushDown(''); });

  function commentBox(entry, said) {
    var box = el('div', 'comment');
    var id = 'faqbot-comment-' + model.messages.indexOf(entry);
    var prompt = el('label', null, T.lookingFor);
    prompt.htmlFor = id;
    var line = el('input');
    line.id = id;
    line.type = 'text';
    line.maxLength = 200;
    line.autocomplete = 'off';
    var done = button('link', T.sendFeedback);
    function finish() { flushDown(line.value.trim()); said.focus(); }
    done.addEventListener('click', finish);
    line.addEventListener('keydown', function (event) {
      if (event.key === 'Enter') { event.preventDefault(); finish(); }
    });
    box.append(prompt, line, done);
    return { box: box, line: line };
  }

  // Drawn, not an emoji: not every system has a colour emoji font, and a missing glyph shows as an empty box.
  // The path is Material Icons' thumb_up (Apache License 2.0); the thumbs down is the same icon turned over.
  var THUMB = 'M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 ' +
    '7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z';
  function thumb() {
    var NS = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('width', '18');
    svg.setAttribute('height', '18');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    var path = document.createElementNS(NS, 'path');
    path.setAttribute('d', THUMB);
    path.setAttribute('fill', 'currentColor');
    svg.append(path);
    return svg;
  }

  function rating(entry) {
    var group = el('div', 'rate');
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', T.rate);
    var said = el('span', null, entry.vote ? T.thanks : T.rate);
    said.tabIndex = -1;
    var up = button('vote');
    var down = button('vote down');
    up.append(thumb());
    down.append(thumb());
    up.setAttribute('aria-label', T.helpful);
    down.setAttribute('aria-label', T.notHelpful);
    // After the one vote an answer gets, both stay focusable (no focus lost) but say they no longer act.
    function settle() {
      if (entry.vote) { up.setAttribute('aria-disabled', 'true'); down.setAttribute('aria-disabled', 'true'); }
    }
    [[up, 'up'], [down, 'down']].forEach(function (pair) {
      pair[0].setAttribute('aria-pressed', String(entry.vote === pair[1]));
      pair[0].addEventListener('click', function () {
        if (entry.vote) { return; }  // one vote per answer
        entry.vote = pair[1];
        save();
        up.setAttribute('aria-pressed', String(pair[1] === 'up'));
        down.setAttribute('aria-pressed', String(pair[1] === 'down'));
        settle();
        said.textContent = T.thanks;
        if (pair[1] === 'up') { postVote(entry, ''); return; }
        flushDown('');
        var comment = commentBox(entry, said);
        pendingDown = { entry: entry, box: comment.box };
        group.after(comment.box);
        comment.line.focus();
      });
    });
    settle();
    group.append(said, up, down);
    return group;
  }

  function renderBot(reply, entry) {
    var item = el('div', 'msg bot' + (reply.kind === 'emergency' ? ' urgent' : ''));
    item.append(el('span', 'sr', T.bot + ' '));
    var bubble = el('div', 'bubble');
    if (reply.kind === 'emergency') {
      renderEmergency(bubble, reply);
    } else if (reply.answer) {
      renderAnswer(bubble, reply.answer, entry);
    } else {
      renderBlocks(bubble, textBlocks(reply.lead || reply.text));
    }
    if (reply.emergency && !reply.emergency.current && reply.emergency.note) {
      bubble.append(el('p', 'caution', reply.emergency.note));
    }
    var card = reply.contact && typeof reply.contact === 'object' ? contactCard(reply.contact) : null;
    if (card) { bubble.append(card); }
    renderDisclaimers(bubble, reply.disclaimers);
    if (entry && reply.kind === 'answer' && reply.answer && reply.answer.id) { bubble.append(rating(entry)); }
    if (reply.suggestions && reply.suggestions.length) { bubble.append(chips(reply.suggestions)); }
    item.append(bubble);
    return item;
  }

  function failedMark() { return el('p', 'failed', T.notSent); }

  function renderEntry(entry) {
    if (entry.who === 'user') {
      var item = el('div', 'msg user');
      var said = el('div', 'said');
      said.append(el('span', 'sr', T.you + ' '), document.createTextNode(entry.text));
      item.append(said);
      if (entry.failed) { item.append(failedMark()); }
      return item;
    }
    return renderBot(entry.reply, entry);
  }

  function greetingEntry() {
    var g = model.greeting || { suggestions: [] };
    return renderBot({ kind: 'smalltalk', lead: GREETING, suggestions: g.suggestions, disclaimers: [] }, null);
  }

  // The latest exchange is what matters (after a reply, after a reload): from its question, so the answer reads
  // from its start, or the end of the log when everything after the question fits.
  function scrollToLatest() {
    var users = log.querySelectorAll('.msg.user');
    var last = users.length ? users[users.length - 1] : log.lastElementChild;
    if (!last) { return; }
    log.scrollTop = Math.min(last.offsetTop - log.offsetTop - 8, log.scrollHeight - log.clientHeight);
  }

  function renderAll() {
    log.replaceChildren(greetingEntry());
    model.messages.forEach(function (entry) { log.append(renderEntry(entry)); });
    scrollToLatest();
  }

  function append(entry) {
    model.messages.push(entry);
    save();
    var node = renderEntry(entry);
    log.append(node);
    // A new reply is shown under its question and read from the top; keyboard focus never moves.
    if (entry.who === 'user') { log.scrollTop = log.scrollHeight; } else { scrollToLatest(); }
    return node;
  }

  // A message that got no reply is marked as not sent, under its bubble, and its text goes back in the box to
  // resend, unless the person has already typed something new there. Focus stays where it is.
  function sendFailed(entry, node, message) {
    entry.failed = true;
    save();
    node.append(failedMark());
    error.textContent = message;
    log.scrollTop = log.scrollHeight;  // the notice took room from the log: keep the marked message in view
    if (!input.value.trim()) { input.value = entry.text; }
  }

  function getJSON(path, options) {
    return fetch(API + path, options).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (body) { return { res: res, body: body }; });
    });
  }

  function fetchGreeting() {
    if (model.greeting) { return; }
    getJSON('/api/greeting', { method: 'GET' }).then(function (r) {
      if (!r.res.ok) { return; }
      model.greeting = { suggestions: r.body.suggestions || [], emergency_number: r.body.emergency_number };
      save();
      setNotice(model.greeting.emergency_number);
      log.replaceChild(greetingEntry(), log.firstChild);
    }).catch(function () { /* the greeting chips are optional */ });
  }

  var pending = false;
  function ask(text) {
    text = String(text || '').trim();
    if (!text || pending) { return; }
    flushDown('');
    pending = true;
    error.textContent = '';
    var entry = { who: 'user', text: text };
    var node = append(entry);
    typing.replaceChildren(el('span', 'sr', T.typing));
    var dots = el('span', 'dots');
    dots.setAttribute('aria-hidden', 'true');
    dots.append(el('span'), el('span'), el('span'));
    typing.append(dots);
    var body = JSON.stringify({ message: text, state: model.state });
    getJSON('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: body })
      .then(function (r) {
        if (!r.res.ok) { throw new Error(errorText(r)); }
        model.state = r.body.state;
        append({ who: 'bot', reply: slim(r.body) });
      })
      .catch(function (e) {
        sendFailed(entry, node, e && e.message && e.message.indexOf('Sorry') === 0 ? e.message : T.failed);
      })
      .then(function () { pending = false; typing.replaceChildren(); });
  }

  function errorText(r) {
    var message = r.body && r.body.error && r.body.error.message;
    if (r.res.status === 429) {
      // Retry-After may also be an HTTP date; anything but a whole number of seconds reads "a few seconds".
      var wait = parseInt((r.body && r.body.retry_after) || r.res.headers.get('Retry-After'), 10);
      var seconds = wait > 0 ? (wait === 1 ? T.second : fill(T.seconds, { n: wait })) : T.fewSeconds;
      return fill(T.busy, { wait: seconds });
    }
    return message ? 'Sorry, ' + message.charAt(0).toLowerCase() + message.slice(1) : T.error;
  }

  // Keep only what the widget shows, so stored transcripts stay small.
  function slim(reply) {
    return {
      kind: reply.kind, text: reply.text, lead: reply.lead, answer: reply.answer, contact: reply.contact,
      suggestions: reply.suggestions, disclaimers: reply.disclaimers, emergency_number: reply.emergency_number,
      emergency: reply.emergency
    };
  }

  // On a phone the panel covers the page, so it is a modal dialog: the page behind neither scrolls nor takes focus.
  var docStyle = document.documentElement.style;
  var pageOverflow = null;
  function isModal() { return !panel.hidden && PHONE.matches; }
  function syncModal() {
    var modal = isModal();
    if (modal) { panel.setAttribute('aria-modal', 'true'); } else { panel.removeAttribute('aria-modal'); }
    if (modal && pageOverflow === null) {
      pageOverflow = docStyle.overflow;
      docStyle.overflow = 'hidden';
    } else if (!modal && pageOverflow !== null) {
      docStyle.overflow = pageOverflow;
      pageOverflow = null;
    }
  }

  function focusables() {
    var nodes = panel.querySelectorAll('button, input, a[href], summary, [tabindex="0"]');
    return Array.prototype.filter.call(nodes, function (n) { return !n.disabled && n.getClientRects().length > 0; });
  }

  function trapTab(event) {
    var items = focusables();
    if (!items.length) { return; }
    var first = items[0];
    var last = items[items.length - 1];
    var active = root.activeElement;
    if (event.shiftKey && (active === first || items.indexOf(active) < 0)) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || items.indexOf(active) < 0)) {
      event.preventDefault();
      first.focus();
    }
  }

  function setOpen(open, restoreFocus) {
    panel.hidden = !open;
    launcher.hidden = open;  // the panel's own close button is the one close control
    launcher.setAttribute('aria-expanded', String(open));
    model.open = open;
    save();
    syncModal();
    if (open) {
      fetchGreeting();
      scrollToLatest();
      input.focus();
    } else {
      flushDown('');
      askToClear(false);
      if (restoreFocus) { launcher.focus(); }
    }
  }

  // Clearing cannot be undone (nothing else keeps the transcript), so it asks first.
  var confirmBox = el('div', 'confirm');
  var yes = button('link', T.clearYes);
  var no = button('link', T.clearNo);
  confirmBox.append(el('p', null, T.clearAsk), yes, no);
  confirmBox.setAttribute('role', 'group');
  confirmBox.setAttribute('aria-label', T.clear);
  var confirmButtons = [yes, no];
  function askToClear(asking) {
    if (asking) {
      tools.replaceChildren(confirmBox);
      no.focus();
    } else if (tools.firstChild !== clear) {
      tools.replaceChildren(clear);
    }
  }

  launcher.addEventListener('click', function () { setOpen(true, false); });
  close.addEventListener('click', function () { setOpen(false, true); });
  clear.addEventListener('click', function () { askToClear(true); });
  no.addEventListener('click', function () { askToClear(false); clear.focus(); });
  yes.addEventListener('click', function () {
    flushDown('');
    model.messages = [];
    model.state = null;
    save();
    error.textContent = '';
    askToClear(false);
    renderAll();
    typing.replaceChildren(el('span', null, T.cleared));
    input.focus();
  });
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') {
      event.stopPropagation();
      if (confirmButtons.indexOf(root.activeElement) >= 0) { askToClear(false); clear.focus(); return; }
      setOpen(false, true);
    } else if (event.key === 'Tab' && isModal()) {
      trapTab(event);
    }
  });
  // Focus that reaches the page behind an open modal (a click, a screen reader) is brought back in.
  document.addEventListener('focusin', function (event) {
    if (isModal() && event.target !== host) { input.focus(); }
  });
  if (PHONE.addEventListener) { PHONE.addEventListener('change', syncModal); }
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim() || pending) { return; }
    input.value = '';
    ask(text);
  });

  function start() {
    setNotice(model.greeting && model.greeting.emergency_number);
    document.body.append(host);
    if (model.open) {
      panel.hidden = false;
      launcher.hidden = true;
      launcher.setAttribute('aria-expanded', 'true');
      syncModal();
    }
    renderAll();  // after the panel is laid out, so the log can scroll to the latest message
  }
  if (document.body) { start(); } else { document.addEventListener('DOMContentLoaded', start); }

  window.faqbotWidget = {
    open: function () { setOpen(true, false); },
    close: function () { setOpen(false, false); }
  };
}());
