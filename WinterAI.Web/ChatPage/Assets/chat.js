/* WinterAI chat page. Plain ES2017, no build step, no third-party code. */
(function () {
  'use strict';

  var token = new URLSearchParams(location.search).get('t') || '';
  // API calls go next to the page, so the page also works behind a reverse proxy that adds a path prefix.
  var base = location.pathname.replace(/\/+$/, '');

  function $(id) { return document.getElementById(id); }

  var app = $('app');
  var turnsEl = $('turns');
  var form = $('ask-form');
  var input = $('question');
  var attachButton = $('attach');
  var pictureInput = $('picture');
  var attachedEl = $('attached');
  var pictures = [];
  var uploading = false;
  var sendButton = $('send');
  var stopButton = $('stop');
  var newChatButton = $('new-chat');
  var toastEl = $('toast');

  var busy = false;
  var controller = null;
  var toastTimer = 0;

  function Expired() { this.name = 'Expired'; }

  // ---------------------------------------------------------------- safe Markdown
  // Model output is untrusted: every piece of text is HTML-escaped before any markup is added, markup comes only from
  // the small set of rules below, and links must be http(s) or mailto. (The page's Content-Security-Policy also
  // refuses inline scripts, as a second line of defence.)
  var markdown = (function () {
    function escape(text) {
      return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
        .replace(/"/g, '&quot;').replace(/'/g, '&#39;');
    }

    function safeHref(escapedUrl) {
      var raw = escapedUrl.replace(/&amp;/g, '&');
      return /^(https?:\/\/|mailto:)/i.test(raw) ? escapedUrl : null;
    }

    function link(href, label) {
      return '<a href="' + href + '" target="_blank" rel="noopener noreferrer nofollow">' + label + '</a>';
    }

    function inline(text) {
      var slots = [];
      function keep(html) { slots.push(html); return '\u0000' + (slots.length - 1) + '\u0000'; }

      var out = escape(text.replace(/\u0000/g, ''));
      out = out.replace(/`([^`\n]+)`/g, function (_, code) { return keep('<code>' + code + '</code>'); });
      out = out.replace(/!\[([^\]\n]*)\]\(([^)\s]+)(?:\s+&quot;[^\n]*?&quot;)?\)/g, function (_, alt, url) {
        var label = alt ? '[图片：' + alt + ']' : '[图片]';
        var href = safeHref(url);
        return keep(href ? link(href, label) : label);
      });
      out = out.replace(/\[([^\]\n]+)\]\(([^)\s]+)(?:\s+&quot;[^\n]*?&quot;)?\)/g, function (_, label, url) {
        var href = safeHref(url);
        return keep(href ? link(href, emphasis(label)) : emphasis(label));
      });
      out = out.replace(/https?:\/\/[^\s\u0000]+/g, function (match) {
        var url = match;
        var cut = url.search(/&lt;|&gt;|&quot;|&#39;/);
        if (cut >= 0) { url = url.slice(0, cut); }
        var trail = /[.,;:!?)\]}。，；：！？）】」》]+$/.exec(url);
        var rest = match.slice(url.length);
        if (trail) { rest = trail[0] + rest; url = url.slice(0, -trail[0].length); }
        return url ? keep(link(url, url)) + rest : match;
      });
      out = emphasis(out);
      return out.replace(/\u0000(\d+)\u0000/g, function (_, index) { return slots[+index]; });
    }

    function emphasis(html) {
      return html
        .replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, '<strong>$1</strong>')
        .replace(/__(?=\S)([^\n]*?\S)__/g, '<strong>$1</strong>')
        .replace(/~~(?=\S)([^\n]*?\S)~~/g, '<del>$1</del>')
        .replace(/(^|[^*\w])\*(?=[^\s*])([^*\n]*?[^\s*])\*(?!\*)/g, '$1<em>$2</em>');
    }

    var fence = /^ {0,3}(`{3,}|~{3,})\s*([\w+#.-]*)[^\n]*$/;
    var heading = /^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$/;
    var rule = /^ {0,3}([-*_])(?:\s*\1){2,}\s*$/;
    var quote = /^ {0,3}>\s?(.*)$/;
    var item = /^(\s*)([-*+]|\d{1,9}[.)])\s+(.*)$/;
    var tableDivider = /^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$/;

    // No look-behind in the pattern: older iOS WebViews (WeChat uses the system one) reject it and the whole script.
    function cells(line) {
      var trimmed = line.trim().replace(/^\|/, '').replace(/\|$/, '');
      var parts = [];
      var cell = '';
      for (var k = 0; k < trimmed.length; k++) {
        var ch = trimmed.charAt(k);
        if (ch === '\\' && trimmed.charAt(k + 1) === '|') { cell += '|'; k++; } else if (ch === '|') { parts.push(cell); cell = ''; } else { cell += ch; }
      }
      parts.push(cell);
      return parts.map(function (c) { return inline(c.trim()); });
    }

    function startsBlock(line) {
      return fence.test(line) || heading.test(line) || rule.test(line) || quote.test(line) || item.test(line);
    }

    function renderList(items) {
      var html = '';
      var stack = [];
      items.forEach(function (it) {
        while (stack.length && it.indent < stack[stack.length - 1].indent) {
          html += '</li></' + stack.pop().tag + '>';
        }
        var top = stack[stack.length - 1];
        if (top && it.indent === top.indent && top.tag !== (it.ordered ? 'ol' : 'ul')) {
          html += '</li></' + stack.pop().tag + '>';
          top = stack[stack.length - 1];
        }
        if (!top || it.indent > top.indent) {
          var tag = it.ordered ? 'ol' : 'ul';
          html += '<' + tag + (it.ordered && it.start !== 1 ? ' start="' + it.start + '"' : '') + '>';
          stack.push({ indent: it.indent, tag: tag });
        } else {
          html += '</li>';
        }
        html += '<li>' + it.lines.map(inline).join('<br>');
      });
      while (stack.length) { html += '</li></' + stack.pop().tag + '>'; }
      return html;
    }

    function render(text, depth) {
      var lines = text.replace(/\r\n?/g, '\n').split('\n');
      var html = '';
      var i = 0;
      while (i < lines.length) {
        var line = lines[i];
        var m;
        if (!line.trim()) { i++; continue; }

        if ((m = fence.exec(line))) {
          var marker = m[1];
          var code = [];
          i++;
          while (i < lines.length && !(lines[i].trim().indexOf(marker) === 0 && !lines[i].trim().slice(marker.length).trim())) {
            code.push(lines[i]);
            i++;
          }
          i++;
          html += '<pre><code>' + escape(code.join('\n')) + '</code></pre>';
          continue;
        }

        if ((m = heading.exec(line))) {
          var level = m[1].length;
          html += '<h' + level + '>' + inline(m[2]) + '</h' + level + '>';
          i++;
          continue;
        }

        if (rule.test(line)) { html += '<hr>'; i++; continue; }

        if (quote.test(line)) {
          var quoted = [];
          while (i < lines.length && (m = quote.exec(lines[i]))) { quoted.push(m[1]); i++; }
          html += '<blockquote>' + (depth < 4 ? render(quoted.join('\n'), depth + 1) : escape(quoted.join('\n'))) + '</blockquote>';
          continue;
        }

        if (item.test(line)) {
          var items = [];
          while (i < lines.length) {
            var current = lines[i];
            if ((m = item.exec(current))) {
              var ordered = /\d/.test(m[2]);
              items.push({ indent: m[1].replace(/\t/g, '    ').length, ordered: ordered, start: ordered ? parseInt(m[2], 10) : 1, lines: [m[3]] });
              i++;
            } else if (current.trim() && /^\s+/.test(current) && items.length) {
              items[items.length - 1].lines.push(current.trim());
              i++;
            } else if (!current.trim() && i + 1 < lines.length && item.test(lines[i + 1])) {
              i++;
            } else {
              break;
            }
          }
          html += renderList(items);
          continue;
        }

        if (line.indexOf('|') >= 0 && i + 1 < lines.length && tableDivider.test(lines[i + 1]) && lines[i + 1].indexOf('-') >= 0) {
          var head = cells(line);
          var rows = [];
          i += 2;
          while (i < lines.length && lines[i].trim() && lines[i].indexOf('|') >= 0) { rows.push(cells(lines[i])); i++; }
          html += '<div class="table-wrap"><table><thead><tr>' + head.map(function (c) { return '<th>' + c + '</th>'; }).join('') +
            '</tr></thead><tbody>' + rows.map(function (row) {
              return '<tr>' + row.map(function (c) { return '<td>' + c + '</td>'; }).join('') + '</tr>';
            }).join('') + '</tbody></table></div>';
          continue;
        }

        var paragraph = [];
        while (i < lines.length && lines[i].trim() && (paragraph.length === 0 || !startsBlock(lines[i]))) {
          paragraph.push(lines[i].trim());
          i++;
        }
        // Line breaks stay line breaks: models break Chinese text where a space would be a stray gap.
        html += '<p>' + paragraph.map(inline).join('<br>') + '</p>';
      }
      return html;
    }

    return { render: function (text) { return render(text || '', 0); }, escape: escape };
  })();

  // ---------------------------------------------------------------- views
  function pad(n) { return (n < 10 ? '0' : '') + n; }

  function when(ms) {
    if (!ms) { return ''; }
    var d = new Date(ms);
    var now = new Date();
    var hm = pad(d.getHours()) + ':' + pad(d.getMinutes());
    return d.toDateString() === now.toDateString() ? hm : (d.getMonth() + 1) + '月' + d.getDate() + '日 ' + hm;
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    if (className) { el.className = className; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function divider(text) {
    var li = element('li', 'divider', text);
    li.setAttribute('role', 'separator');
    return li;
  }

  function TurnView(question) {
    this.li = element('li', 'turn');
    var questionRow = element('div', 'question-row');
    questionRow.appendChild(element('div', 'question', question));
    var answerRow = element('div', 'answer-row');
    answerRow.appendChild(element('div', 'answer-avatar', 'AI'));
    var column = element('div', 'answer-col');
    this.answer = element('div', 'answer');
    this.body = element('div', 'md');
    this.answer.appendChild(this.body);
    this.meta = element('div', 'answer-meta');
    this.suggestions = element('div', 'suggestions');
    this.suggestions.hidden = true;
    column.appendChild(this.answer);
    column.appendChild(this.meta);
    column.appendChild(this.suggestions);
    answerRow.appendChild(column);
    this.li.appendChild(questionRow);
    this.li.appendChild(answerRow);
    this.pending = 0;
    this.text = '';
  }

  TurnView.prototype.state = function (state) { this.li.setAttribute('data-state', state); };

  TurnView.prototype.typing = function (note) {
    this.body.className = 'md';
    this.body.innerHTML = '<span class="typing" aria-label="正在回答"><i></i><i></i><i></i></span>';
    if (note) { this.body.appendChild(element('div', 'waiting-note', note)); }
  };

  // Reasoning models think inside <think>…</think>. The server sends it only when Dify:Reasoning is "fold": it is shown
  // folded here, and an unclosed block (still thinking) folds everything after its tag.
  var thinkOpen = '<think>';
  var thinkClose = '</think>';

  function withReasoning(text) {
    var html = '';
    var rest = text;
    for (;;) {
      var open = rest.toLowerCase().indexOf(thinkOpen);
      if (open < 0) {
        for (var n = thinkOpen.length - 1; n > 0; n--) {
          if (rest.slice(-n).toLowerCase() === thinkOpen.slice(0, n)) { rest = rest.slice(0, -n); break; }
        }
        return html + markdown.render(rest);
      }
      html += markdown.render(rest.slice(0, open));
      var close = rest.toLowerCase().indexOf(thinkClose, open + thinkOpen.length);
      var thought = rest.slice(open + thinkOpen.length, close < 0 ? rest.length : close);
      html += '<details class="think"><summary>' + (close < 0 ? '正在思考…' : '思考过程') + '</summary>' +
        '<div class="think-body">' + markdown.render(thought) + '</div></details>';
      if (close < 0) { return html; }
      rest = rest.slice(close + thinkClose.length);
    }
  }

  TurnView.prototype.markdown = function (text) {
    this.body.className = 'md';
    this.body.innerHTML = text.toLowerCase().indexOf('<t') >= 0 ? withReasoning(text) : markdown.render(text);
  };

  // At the end of the last line of text, wherever the Markdown nests it (a list item, a quote, a code block).
  TurnView.prototype.caret = function () {
    var target = this.body;
    while (target.lastElementChild && /^(OL|UL|LI|BLOCKQUOTE|DIV|TABLE|TBODY|TR|TD|PRE|P|H[1-6])$/.test(target.lastElementChild.tagName)) {
      target = target.lastElementChild;
    }
    if (target.tagName === 'PRE' && target.firstElementChild) { target = target.firstElementChild; }
    target.appendChild(element('span', 'caret'));
  };

  TurnView.prototype.plain = function (text) {
    this.body.className = 'md plain';
    this.body.textContent = text;
  };

  // Renders at most once a frame however fast the words arrive.
  TurnView.prototype.stream = function (text) {
    var view = this;
    view.text = text;
    if (view.pending) { return; }
    view.pending = requestAnimationFrame(function () {
      view.pending = 0;
      if (view.text) {
        view.markdown(view.text);
        view.caret();
      }
      followBottom();
    });
  };

  TurnView.prototype.settle = function () {
    if (this.pending) { cancelAnimationFrame(this.pending); this.pending = 0; }
  };

  TurnView.prototype.show = function (turn) {
    this.settle();
    if (turn.id) { this.li.setAttribute('data-id', turn.id); }
    if (turn.answer === null || turn.answer === undefined) {
      this.state('pending');
      this.typing(turn.fromWeChat ? '公众号里的这个问题还在回答中…' : '正在回答…');
    } else {
      this.state(turn.failed ? 'failed' : turn.stopped ? 'stopped' : 'done');
      if (turn.isMarkdown) { this.markdown(turn.answer); } else { this.plain(turn.answer); }
      this.pictures(turn);
    }
    this.meta.textContent = '';
    if (turn.fromWeChat) { this.meta.appendChild(element('span', 'tag', '公众号')); }
    if (turn.stopped) { this.meta.appendChild(element('span', 'tag tag-stopped', '已停止')); }
    this.meta.appendChild(element('span', 'time', when(turn.askedAt)));
    if (turn.rateable && turn.id) { this.rating(turn.id); }
    this.suggest(turn.suggestions);
  };

  // Like / dislike: passed to Dify for this answer.
  TurnView.prototype.rating = function (id) {
    var actions = element('span', 'rate');
    // Words rather than 👍 / 👎: not every WebView has an emoji font.
    [['like', '有用'], ['dislike', '没用']].forEach(function (choice) {
      var button = element('button', 'rate-button', choice[1]);
      button.type = 'button';
      button.setAttribute('data-rating', choice[0]);
      button.setAttribute('aria-pressed', 'false');
      button.addEventListener('click', function () { rate(id, choice[0], actions, button); });
      actions.appendChild(button);
    });
    this.meta.appendChild(actions);
  };

  // The follow-up questions Dify suggests after the newest answer; a tap asks one.
  TurnView.prototype.suggest = function (questions) {
    this.suggestions.textContent = '';
    this.suggestions.hidden = !(questions && questions.length);
    if (this.suggestions.hidden) { return; }
    var box = this.suggestions;
    questions.forEach(function (question) {
      var button = element('button', 'suggestion', question);
      button.type = 'button';
      button.addEventListener('click', function () {
        if (busy || app.getAttribute('data-state') !== 'ready') { return; }
        ask(question);
      });
      box.appendChild(button);
    });
  };

  // The answer's pictures, fetched through this server (the page shows pictures from its own origin only).
  TurnView.prototype.pictures = function (turn) {
    for (var i = 0; i < (turn.pictures || 0); i++) {
      var img = element('img', 'picture');
      img.alt = '图片';
      img.loading = 'lazy';
      img.src = base + '/picture?t=' + encodeURIComponent(token) + '&id=' + encodeURIComponent(turn.id) + '&n=' + i;
      img.addEventListener('error', function () { this.replaceWith(element('div', 'picture-gone', '（图片已失效）')); });
      var figure = element('div', 'pictures');
      figure.appendChild(img);
      this.body.appendChild(figure);
    }
  };

  TurnView.prototype.refuse = function (message) {
    this.settle();
    this.state('refused');
    this.plain(message);
    this.meta.textContent = '';
  };

  TurnView.prototype.fail = function (partial, message) {
    this.settle();
    this.state(partial ? 'stopped' : 'failed');
    if (partial) {
      this.markdown(partial);
      this.meta.textContent = '';
      this.meta.appendChild(element('span', 'tag tag-stopped', message));
    } else {
      this.plain(message);
    }
  };

  TurnView.prototype.stopped = function (partial) {
    this.settle();
    this.state('stopped');
    if (partial) { this.markdown(partial); } else { this.plain('（已停止回答）'); }
    this.meta.textContent = '';
    this.meta.appendChild(element('span', 'tag tag-stopped', '已停止'));
  };

  // ---------------------------------------------------------------- page state
  function setState(state) {
    app.setAttribute('data-state', state);
    $('loading').hidden = state !== 'loading';
    $('load-error').hidden = state !== 'error';
    $('empty').hidden = !(state === 'ready' && !turnsEl.children.length);
    turnsEl.hidden = state === 'loading' || state === 'error';
    $('expired').hidden = state !== 'expired';
    var usable = state === 'ready';
    input.disabled = !usable;
    newChatButton.disabled = !usable || busy;
    updateSend();
  }

  function showExpired() {
    if (controller) { controller.abort(); }
    setState('expired');
  }

  function updateSend() {
    sendButton.disabled = busy || input.disabled || (!input.value.trim() && pictures.length === 0);
    attachButton.disabled = busy || input.disabled || uploading;
    sendButton.hidden = busy;
    stopButton.hidden = !busy;
  }

  function setBusy(value) {
    busy = value;
    newChatButton.disabled = busy || app.getAttribute('data-state') !== 'ready';
    updateSend();
  }

  function nearBottom() {
    return window.innerHeight + window.scrollY >= document.documentElement.scrollHeight - 160;
  }

  var stickToBottom = true;
  window.addEventListener('scroll', function () { stickToBottom = nearBottom(); }, { passive: true });

  function followBottom(force) {
    if (force || stickToBottom) { window.scrollTo(0, document.documentElement.scrollHeight); }
  }

  function toast(text) {
    toastEl.textContent = text;
    toastEl.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { toastEl.hidden = true; }, 2600);
  }

  // ---------------------------------------------------------------- server
  async function api(path, options) {
    options = options || {};
    options.headers = Object.assign({ 'X-Chat-Token': token }, options.headers || {});
    options.cache = 'no-store';
    var response = await fetch(base + '/' + path, options);
    if (response.status === 401) { showExpired(); throw new Expired(); }
    return response;
  }

  async function messageOf(response, fallback) {
    try {
      var body = await response.json();
      return (body && body.message) || fallback;
    } catch (e) {
      return fallback;
    }
  }

  // Server-sent events over a POST (EventSource can only GET, and the question belongs in the body).
  async function readEvents(response, onEvent) {
    var reader = response.body.getReader();
    var decoder = new TextDecoder();
    var buffer = '';
    for (;;) {
      var chunk = await reader.read();
      if (chunk.done) { break; }
      buffer += decoder.decode(chunk.value, { stream: true });
      var end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        var frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        var name = 'message';
        var data = [];
        frame.split('\n').forEach(function (line) {
          if (!line || line.charAt(0) === ':') { return; }
          var colon = line.indexOf(':');
          var field = colon < 0 ? line : line.slice(0, colon);
          var value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') { name = value; } else if (field === 'data') { data.push(value); }
        });
        if (data.length) { onEvent(name, JSON.parse(data.join('\n'))); }
      }
    }
  }

  async function load() {
    setState('loading');
    try {
      var response = await api('history');
      if (!response.ok) { throw new Error(await messageOf(response, '服务暂时不可用（' + response.status + '），请稍后重试。')); }
      var body = await response.json();
      turnsEl.textContent = '';
      watched = {};
      body.turns.forEach(function (turn) {
        if (turn.newConversation) { turnsEl.appendChild(divider('新对话')); }
        var view = new TurnView(turn.question);
        showLive(view, turn);
        turnsEl.appendChild(view.li);
        if (turn.answer === null || turn.answer === undefined) { watched[turn.id] = view; }
      });
      if (body.maxQuestionLength) { input.maxLength = body.maxQuestionLength; }
      setState('ready');
      followBottom(true);
      watchSoon();
    } catch (e) {
      if (e instanceof Expired) { return; }
      $('load-error-text').textContent = e && e.message && !/fetch|network/i.test(e.message) ? e.message : '网络好像断开了，请检查网络后重试。';
      setState('error');
    }
  }

  // Turns still being answered when the page loaded (asked in WeChat, or answered by another instance) are read
  // again every second: their answer so far grows on the page until it is whole.
  var watched = {};
  var watchTimer = 0;
  var WatchInterval = 1000;

  function showLive(view, turn) {
    if ((turn.answer === null || turn.answer === undefined) && turn.partial) {
      view.state('streaming');
      view.stream(turn.partial);
    } else {
      view.show(turn);
    }
  }

  function watchSoon() {
    clearTimeout(watchTimer);
    if (Object.keys(watched).length > 0) { watchTimer = setTimeout(watch, WatchInterval); }
  }

  async function watch() {
    try {
      var response = await api('history');
      if (!response.ok) { return; }
      var body = await response.json();
      body.turns.forEach(function (turn) {
        var view = watched[turn.id];
        if (!view) { return; }
        showLive(view, turn);
        if (turn.answer !== null && turn.answer !== undefined) { delete watched[turn.id]; }
      });
      followBottom();
      watchSoon();
    } catch (e) {
      // Expired or offline: the page already says so, or the next load shows the answer.
    }
  }

  async function rate(id, rating, actions, button) {
    try {
      var response = await api('feedback', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ id: id, rating: rating })
      });
      var message = await messageOf(response, '');
      if (response.ok) {
        Array.prototype.forEach.call(actions.children, function (b) { b.setAttribute('aria-pressed', b === button ? 'true' : 'false'); });
      }
      toast(message || (response.ok ? '谢谢你的反馈' : '评价没有提交成功，请稍后再试。'));
    } catch (e) {
      if (!(e instanceof Expired)) { toast('网络连接出错了，请稍后再试。'); }
    }
  }

  // Suggestions are valid until the next answer: a new question clears them everywhere.
  function clearSuggestions() {
    Array.prototype.forEach.call(turnsEl.querySelectorAll('.suggestions'), function (box) {
      box.textContent = '';
      box.hidden = true;
    });
  }

  var askSeq = 0;

  // ---------------------------------------------------------------- pictures

  function showAttached() {
    attachedEl.textContent = '';
    attachedEl.hidden = pictures.length === 0;
    pictures.forEach(function (picture, index) {
      var chip = element('span', 'chip', '图片 ' + (index + 1));
      var remove = element('button', 'chip-remove', '×');
      remove.type = 'button';
      remove.setAttribute('aria-label', '移除图片 ' + (index + 1));
      remove.addEventListener('click', function () {
        pictures.splice(index, 1);
        showAttached();
        updateSend();
      });
      chip.appendChild(remove);
      attachedEl.appendChild(chip);
    });
  }

  async function upload(file) {
    uploading = true;
    updateSend();
    try {
      var body = new FormData();
      body.append('file', file);
      var response = await api('upload', { method: 'POST', body: body });
      if (!response.ok) {
        toast(await messageOf(response, '图片没能上传，请稍后再试。'));
        return;
      }

      pictures.push((await response.json()).id);
      showAttached();
    } catch (e) {
      if (!(e instanceof Expired)) { toast('图片没能上传，请检查网络后再试。'); }
    } finally {
      uploading = false;
      updateSend();
    }
  }

  attachButton.addEventListener('click', function () { pictureInput.click(); });
  pictureInput.addEventListener('change', function () {
    var file = pictureInput.files && pictureInput.files[0];
    pictureInput.value = '';
    if (file) { upload(file); }
  });

  async function ask(question, pictureIds) {
    pictureIds = pictureIds || [];
    var seq = ++askSeq;
    clearSuggestions();
    setBusy(true);
    $('empty').hidden = true;
    var view = new TurnView(question || '[图片]');
    view.state('streaming');
    view.typing();
    turnsEl.appendChild(view.li);
    followBottom(true);

    controller = new AbortController();
    var signal = controller.signal;
    var answer = '';
    var over = false;
    try {
      var response = await api('ask', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ question: question, pictures: pictureIds }),
        signal: signal
      });
      if (!response.ok) {
        over = true;
        view.refuse(await messageOf(response, '发送失败（' + response.status + '），请稍后再试。'));
        restore(question);
        return;
      }
      await readEvents(response, function (name, data) {
        switch (name) {
          case 'waiting':
            view.typing('公众号里的上一个问题还在回答，稍等一下…');
            break;
          case 'started':
            view.li.setAttribute('data-id', data.id);
            view.typing();
            break;
          case 'delta':
            answer += data.text;
            view.stream(answer);
            break;
          case 'replace':
            answer = data.text;
            view.stream(answer);
            break;
          case 'finished':
            over = true;
            view.show(data);
            // The stream stays open a little for the suggested questions; the page is free for the next one already.
            if (seq === askSeq) { controller = null; setBusy(false); }
            break;
          case 'suggested':
            if (seq === askSeq && data.id === view.li.getAttribute('data-id')) { view.suggest(data.questions); followBottom(); }
            break;
          case 'refused':
            over = true;
            view.refuse(data.message);
            restore(question);
            break;
        }
      });
      if (!over) { view.fail(answer, '连接中断了，回答可能不完整，请重新提问。'); }
    } catch (e) {
      if (e instanceof Expired) { return; }
      if (signal.aborted) {
        view.stopped(answer);
      } else if (!over) {
        view.fail(answer, '网络连接出错了，请检查网络后重新提问。');
      }
    } finally {
      if (seq === askSeq) {
        controller = null;
        setBusy(false);
      }
      followBottom();
    }
  }

  function restore(question) {
    if (!input.value.trim()) {
      input.value = question;
      autosize();
      updateSend();
    }
  }

  function stop() {
    if (!controller) { return; }
    controller.abort();
    // Closing the stream stops the answer where it is streamed; this also reaches it behind proxies that keep going.
    api('stop', { method: 'POST' }).catch(function () { });
  }

  async function newConversation() {
    if (busy) { return; }
    newChatButton.disabled = true;
    try {
      var response = await api('clear', { method: 'POST' });
      var message = await messageOf(response, '');
      if (!response.ok) { throw new Error(message); }
      if (turnsEl.children.length && !turnsEl.lastElementChild.classList.contains('divider')) {
        turnsEl.appendChild(divider('新对话'));
      }
      toast(message || '已开始新的对话');
      followBottom(true);
    } catch (e) {
      if (!(e instanceof Expired)) { toast((e && e.message) || '操作没有成功，请稍后再试。'); }
    } finally {
      newChatButton.disabled = busy || app.getAttribute('data-state') !== 'ready';
    }
  }

  function autosize() {
    input.style.height = 'auto';
    input.style.height = Math.min(input.scrollHeight, 140) + 'px';
  }

  // ---------------------------------------------------------------- wiring
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var question = input.value.trim();
    if ((!question && pictures.length === 0) || busy || uploading) { return; }
    var pictureIds = pictures;
    pictures = [];
    showAttached();
    input.value = '';
    autosize();
    ask(question, pictureIds);
  });

  input.addEventListener('input', function () { autosize(); updateSend(); });

  input.addEventListener('keydown', function (e) {
    // Enter sends, Shift+Enter breaks the line; never while an input method is composing Chinese.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      if (typeof form.requestSubmit === 'function') { form.requestSubmit(); } else { sendButton.click(); }
    }
  });

  stopButton.addEventListener('click', stop);
  newChatButton.addEventListener('click', newConversation);
  $('retry').addEventListener('click', load);

  if (!token) { showExpired(); } else { load(); }
})();
