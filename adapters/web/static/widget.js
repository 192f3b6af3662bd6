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
  var GREETING = data.greeting || 'Hello! Ask me about acupuncture or dry needling. I answer from ' +
    "the clinic's own documents.";
  var BRAND = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(data.color || '') ? data.color : '#0a5c63';
  var LEFT = data.position === 'left';
  var KEY = 'faqbot:' + API;
  var MAX_SAVED = 50;
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

  var CSS = [
    ':host{all:initial}',
    '*,*::before,*::after{box-sizing:border-box}',
    '.root{--brand:' + BRAND + ';--on-brand:' + ON_BRAND + ';font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1a1a1a}',
    '.launcher{position:fixed;bottom:20px;' + (LEFT ? 'left' : 'right') + ':20px;z-index:2147483000;min-height:48px;padding:12px 20px;border:2px solid var(--on-brand);border-radius:24px;background:var(--brand);color:var(--on-brand);font:inherit;font-weight:600;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.3)}',
    'button:focus-visible,input:focus-visible{outline:3px solid #1a1a1a;outline-offset:2px;box-shadow:0 0 0 5px #ffffff}',
    '.panel{position:fixed;bottom:84px;' + (LEFT ? 'left' : 'right') + ':20px;z-index:2147483001;width:380px;max-width:calc(100vw - 40px);height:min(600px,calc(100vh - 110px));display:flex;flex-direction:column;background:#ffffff;border:1px solid #767676;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.3);overflow:hidden}',
    '.panel[hidden]{display:none}',
    '.head{display:flex;align-items:center;gap:8px;padding:10px 12px;background:var(--brand);color:var(--on-brand)}',
    '.head h2{flex:1;margin:0;font-size:17px;font-weight:700}',
    '.head button{min-height:36px;padding:4px 10px;border:1px solid var(--on-brand);border-radius:6px;background:transparent;color:var(--on-brand);font:inherit;font-size:14px;cursor:pointer}',
    '.head button:focus-visible{outline-color:var(--on-brand);box-shadow:none}',
    '.tools{display:flex;justify-content:flex-end;padding:0 12px 8px}',
    '.clear{min-height:32px;padding:2px 6px;border:0;background:transparent;color:#1a1a1a;font:inherit;font-size:14px;text-decoration:underline;cursor:pointer}',
    '.notice{margin:0;padding:6px 12px;background:#f2f2f2;color:#1a1a1a;font-size:13px;border-bottom:1px solid #d0d0d0}',
    '.log{flex:1;overflow-y:auto;overscroll-behavior:contain;margin:0;padding:12px;list-style:none}',
    '.msg{margin:0 0 12px;max-width:92%}',
    '.msg p{margin:0 0 8px}',
    '.msg p:last-child{margin-bottom:0}',
    '.failed{display:block;margin-top:2px;font-size:13px;font-style:italic}',
    '.user{margin-left:auto;padding:8px 12px;border-radius:12px 12px 2px 12px;background:var(--brand);color:var(--on-brand);white-space:pre-wrap;word-wrap:break-word}',
    '.bot .bubble{padding:8px 12px;border-radius:12px 12px 12px 2px;background:#f4f4f4;border:1px solid #d6d6d6}',
    '.source{margin-top:8px;font-size:13px;color:#444444}',
    '.note{margin-top:8px;padding:6px 10px;border-left:4px solid #8a6d00;background:#fff8dc;color:#3d3000;font-size:14px}',
    '.note strong{display:block}',
    '.caution{font-weight:600;margin-top:8px}',
    '.urgent .bubble{background:#fdecea;border:2px solid #b3261e;color:#5c0f0a}',
    '.urgent strong.flag{display:block;color:#8c1d18;font-size:17px}',
    '.urgent a{color:#8c1d18;font-weight:700}',
    '.chips{display:flex;flex-wrap:wrap;gap:6px;margin-top:8px}',
    '.chip{min-height:36px;padding:6px 12px;border:1px solid #5e5e5e;border-radius:18px;background:#ffffff;color:#1a1a1a;font:inherit;font-size:14px;text-align:left;cursor:pointer}',
    '.chip:hover{background:#eeeeee}',
    '.error{margin:0 12px;color:#8c1d18;font-size:14px}',
    '.typing{min-height:0;padding:0 12px;font-size:14px;color:#444444}',
    '.dots span{display:inline-block;width:7px;height:7px;margin-right:4px;border-radius:50%;background:#555555;animation:fb-blink 1.2s infinite ease-in-out}',
    '.dots span:nth-child(2){animation-delay:.2s}.dots span:nth-child(3){animation-delay:.4s}',
    '@keyframes fb-blink{0%,80%,100%{opacity:.25}40%{opacity:1}}',
    'form{display:flex;gap:8px;padding:10px 12px 4px;border-top:1px solid #d0d0d0}',
    'input{flex:1;min-width:0;min-height:44px;padding:8px 10px;border:1px solid #767676;border-radius:8px;font:inherit;font-size:16px;color:#1a1a1a;background:#ffffff}',
    '.send{min-height:44px;padding:8px 16px;border:2px solid transparent;border-radius:8px;background:var(--brand);color:var(--on-brand);font:inherit;font-weight:600;cursor:pointer}',
    '.sr{position:absolute;width:1px;height:1px;margin:-1px;padding:0;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}',
    '@media (max-width:639.98px){.panel{top:0;left:0;right:0;bottom:0;width:100%;max-width:none;height:100vh;height:100dvh;border:0;border-radius:0}.panel:not([hidden])~.launcher{display:none}}',
    '@media (prefers-reduced-motion:reduce){*{animation:none!important;transition:none!important}}'
  ].join('\n');

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) { node.className = cls; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
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

  var wrap = el('div', 'root');
  var panel = el('div', 'panel');
  panel.id = 'faqbot-panel';
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'faqbot-title');
  panel.hidden = true;
  var head = el('div', 'head');
  var title = el('h2', null, CLINIC);
  title.id = 'faqbot-title';
  var clear = el('button', 'clear', 'Clear conversation');
  clear.type = 'button';
  var close = el('button', 'close', 'Close');
  close.type = 'button';
  close.setAttribute('aria-label', 'Close chat');
  head.append(title, close);
  var tools = el('div', 'tools');
  tools.append(clear);
  var notice = el('p', 'notice');
  var log = el('div', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-label', 'Conversation');
  log.tabIndex = 0;
  var typing = el('div', 'typing');
  typing.setAttribute('role', 'status');
  var error = el('p', 'error');
  error.setAttribute('role', 'alert');
  var form = el('form');
  var label = el('label', 'sr', 'Your question');
  label.htmlFor = 'faqbot-input';
  var input = el('input');
  input.id = 'faqbot-input';
  input.type = 'text';
  input.maxLength = 1000;
  input.autocomplete = 'off';
  input.placeholder = 'Type your question';
  var send = el('button', 'send', 'Send');
  send.type = 'submit';
  form.append(label, input, send);
  panel.append(head, notice, log, typing, error, form, tools);
  var launcher = el('button', 'launcher', 'Ask a question');
  launcher.type = 'button';
  launcher.setAttribute('aria-controls', 'faqbot-panel');
  launcher.setAttribute('aria-expanded', 'false');
  wrap.append(panel, launcher);
  root.append(wrap);

  function setNotice(number) {
    notice.textContent = "General information from the clinic's documents, not medical advice. In an emergency call " +
      (number || '911') + '.';
  }

  function chips(suggestions) {
    var box = el('div', 'chips');
    suggestions.slice(0, 4).forEach(function (s) {
      var chip = el('button', 'chip', s.question);
      chip.type = 'button';
      chip.addEventListener('click', function () { input.focus(); ask(s.question); });
      box.append(chip);
    });
    return box;
  }

  function paragraphs(parent, text) {
    String(text || '').split(/\n{2,}/).forEach(function (part) {
      if (part.trim()) { parent.append(el('p', null, part.trim())); }
    });
  }

  function sourceLine(answer) {
    var src = answer.source || {};
    var where = [src.title].concat(src.path || []).filter(Boolean).join(' \u203a ');
    var extra = [src.publisher, src.reviewed ? (src.date_kind === 'published' ? 'published ' : 'reviewed ') + src.reviewed : ''].filter(Boolean).join(', ');
    return 'Source: ' + where + (extra ? ' (' + extra + ')' : '');
  }

  function renderBot(reply) {
    var item = el('div', 'msg bot' + (reply.kind === 'emergency' ? ' urgent' : ''));
    item.append(el('span', 'sr', 'Assistant: '));
    var bubble = el('div', 'bubble');
    if (reply.kind === 'emergency') {
      bubble.append(el('strong', 'flag', 'Urgent'));
      paragraphs(bubble, reply.lead || reply.text);
      if (reply.emergency_number && /^\+?[0-9]+(?:[ -][0-9]+)*$/.test(reply.emergency_number) && reply.emergency_number.length <= 20) {
        var call = el('a', null, 'Call ' + reply.emergency_number);
        call.href = 'tel:' + reply.emergency_number.replace(/[ -]/g, '');
        var line = el('p');
        line.append(call);
        bubble.append(line);
      }
    } else if (reply.answer) {
      paragraphs(bubble, reply.answer.body);
      bubble.append(el('p', 'source', sourceLine(reply.answer)));
    } else {
      paragraphs(bubble, reply.lead || reply.text);
    }
    if (reply.emergency && !reply.emergency.current && reply.emergency.note) {
      bubble.append(el('p', 'caution', reply.emergency.note));
    }
    if (reply.disclaimers && reply.disclaimers.length) {
      var note = el('div', 'note');
      note.append(el('strong', null, 'Please note'));
      reply.disclaimers.forEach(function (d) { note.append(el('p', null, d)); });
      bubble.append(note);
    }
    if (reply.suggestions && reply.suggestions.length) { bubble.append(chips(reply.suggestions)); }
    item.append(bubble);
    return item;
  }

  function renderEntry(entry) {
    if (entry.who === 'user') {
      var item = el('div', 'msg user');
      item.append(el('span', 'sr', 'You: '), document.createTextNode(entry.text));
      if (entry.failed) { item.append(el('span', 'failed', 'Not sent')); }
      return item;
    }
    return renderBot(entry.reply);
  }

  function greetingEntry() {
    var g = model.greeting || { suggestions: [] };
    return renderBot({ kind: 'smalltalk', lead: GREETING, suggestions: g.suggestions, disclaimers: [] });
  }

  function renderAll() {
    log.replaceChildren(greetingEntry());
    model.messages.forEach(function (entry) { log.append(renderEntry(entry)); });
    log.scrollTop = log.scrollHeight;
  }

  function append(entry) {
    model.messages.push(entry);
    save();
    var node = renderEntry(entry);
    log.append(node);
    // Show the start of a new reply (long answers are read from the top); keyboard focus never moves.
    var offset = node.getBoundingClientRect().top - log.getBoundingClientRect().top;
    log.scrollTop = entry.who === 'user' ? log.scrollHeight : log.scrollTop + offset - 8;
    return node;
  }

  // A message that got no reply is marked as not sent and its text goes back in the box to resend, unless the
  // person has already typed something new there. Focus stays where it is.
  function sendFailed(entry, node) {
    entry.failed = true;
    save();
    node.append(el('span', 'failed', 'Not sent'));
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
    pending = true;
    error.textContent = '';
    var entry = { who: 'user', text: text };
    var node = append(entry);
    typing.replaceChildren(el('span', 'sr', 'The assistant is typing'));
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
        sendFailed(entry, node);
        error.textContent = e && e.message && e.message.indexOf('Sorry') === 0 ? e.message :
          'Sorry, the message could not be sent. Please check your connection and try again.';
      })
      .then(function () { pending = false; typing.replaceChildren(); });
  }

  function errorText(r) {
    var message = r.body && r.body.error && r.body.error.message;
    if (r.res.status === 429) {
      // Retry-After may also be an HTTP date; anything but a whole number of seconds reads "a few seconds".
      var wait = parseInt((r.body && r.body.retry_after) || r.res.headers.get('Retry-After'), 10);
      var seconds = wait > 0 ? wait + (wait === 1 ? ' second' : ' seconds') : 'a few seconds';
      return 'Sorry, too many messages at once. Please wait ' + seconds + ' and try again.';
    }
    return 'Sorry, ' + (message ? message.charAt(0).toLowerCase() + message.slice(1) : 'something went wrong. Please try again.');
  }

  // Keep only what the widget shows, so stored transcripts stay small.
  function slim(reply) {
    return {
      kind: reply.kind, text: reply.text, lead: reply.lead, answer: reply.answer,
      suggestions: reply.suggestions, disclaimers: reply.disclaimers, emergency_number: reply.emergency_number,
      emergency: reply.emergency
    };
  }

  function setOpen(open, restoreFocus) {
    panel.hidden = !open;
    launcher.setAttribute('aria-expanded', String(open));
    launcher.textContent = open ? 'Close chat' : 'Ask a question';
    model.open = open;
    save();
    if (open) {
      fetchGreeting();
      log.scrollTop = log.scrollHeight;
      input.focus();
    } else if (restoreFocus) {
      launcher.focus();
    }
  }

  launcher.addEventListener('click', function () { setOpen(panel.hidden, true); });
  close.addEventListener('click', function () { setOpen(false, true); });
  clear.addEventListener('click', function () {
    model.messages = [];
    model.state = null;
    save();
    error.textContent = '';
    renderAll();
    input.focus();
  });
  panel.addEventListener('keydown', function (event) {
    if (event.key === 'Escape') { event.stopPropagation(); setOpen(false, true); }
  });
  form.addEventListener('submit', function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim() || pending) { return; }
    input.value = '';
    ask(text);
  });

  function start() {
    setNotice(model.greeting && model.greeting.emergency_number);
    renderAll();
    document.body.append(host);
    if (model.open) { panel.hidden = false; launcher.setAttribute('aria-expanded', 'true'); launcher.textContent = 'Close chat'; }
  }
  if (document.body) { start(); } else { document.addEventListener('DOMContentLoaded', start); }

  window.faqbotWidget = {
    open: function () { setOpen(true, false); },
    close: function () { setOpen(false, false); }
  };
}());
