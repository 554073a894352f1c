/**
 * The one script of the daemon's pages (served at LIVE_SCRIPT_PATH; the pages work without it):
 * - follows the page's event stream (`data-events` on body) and puts each `fragment` event's HTML
 *   in place of the element of its id (unless it is the same), keeping the focus where it was and
 *   what one typed in a field;
 * - filters the rows of `#apps` as one types in `#filter` (without it, the form asks the server);
 * - says in `#connection` (a status region) whether updates are live.
 * Plain ES2017 for any browser; nothing loaded from elsewhere.
 */
export const LIVE_SCRIPT = `'use strict';
(function () {
  var body = document.body;
  var status = document.getElementById('connection');
  function say(text) { if (status && status.textContent !== text) status.textContent = text; }
  function filterRows() {
    var input = document.getElementById('filter');
    if (!input) return;
    var q = input.value.trim().toLowerCase();
    var rows = document.querySelectorAll('#apps tr[data-filter]');
    var shown = 0;
    for (var i = 0; i < rows.length; i++) {
      var hide = q !== '' && rows[i].getAttribute('data-filter').indexOf(q) < 0;
      rows[i].hidden = hide;
      if (!hide) shown++;
    }
    var count = document.querySelector('#apps .filter-count');
    if (count) count.textContent = q ? ', ' + shown + ' shown' : '';
  }
  var filter = document.getElementById('filter');
  if (filter) {
    filter.addEventListener('input', filterRows);
    var form = document.getElementById('filter-form');
    if (form) form.addEventListener('submit', function (e) { e.preventDefault(); filterRows(); });
  }
  var url = body.getAttribute('data-events');
  if (!url || typeof EventSource === 'undefined') { say(url ? 'Live updates: not supported by this browser; reload for news' : ''); return; }
  say('Live updates: connecting…');
  var source = new EventSource(url);
  source.addEventListener('open', function () { say('Live updates: on'); });
  source.addEventListener('error', function () { say('Live updates: reconnecting…'); });
  source.addEventListener('fragment', function (e) {
    var f = JSON.parse(e.data);
    var old = document.getElementById(f.id);
    if (!old) return;
    var template = document.createElement('template');
    template.innerHTML = f.html;
    var fresh = template.content.firstElementChild;
    // The stream's first events say again what the page was loaded with: nothing to replace.
    if (fresh && template.content.childNodes.length === 1 && fresh.isEqualNode(old)) return;
    var active = document.activeElement;
    var focusId = active && active !== body && old.contains(active) ? active.id : '';
    // What one typed (the filter box) stays, with the caret, whatever the server rendered it with.
    var typed = [];
    var inputs = old.querySelectorAll('input[id]');
    for (var i = 0; i < inputs.length; i++) {
      if (inputs[i].value !== inputs[i].defaultValue) typed.push({ id: inputs[i].id, value: inputs[i].value, start: inputs[i].selectionStart, end: inputs[i].selectionEnd });
    }
    old.replaceWith(template.content);
    for (var j = 0; j < typed.length; j++) {
      var input = document.getElementById(typed[j].id);
      if (!input) continue;
      input.value = typed[j].value;
      if (typed[j].id === focusId && typed[j].start !== null) input.setSelectionRange(typed[j].start, typed[j].end);
    }
    if (focusId) { var again = document.getElementById(focusId); if (again) again.focus(); }
    filterRows();
    document.dispatchEvent(new CustomEvent('kubemin:updated', { detail: f.id }));
  });
})();
`;
