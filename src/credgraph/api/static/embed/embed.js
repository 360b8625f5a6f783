// credgraph embed: <script src="https://CREDGRAPH/embed.js" async></script> turns every
// <div data-credgraph-credential="ID"> on the page into a compact credential card.
// The card asks CREDGRAPH's /graphql with a GET (cacheable), so the page's origin must be in
// the API's CREDGRAPH_CORS_ORIGINS. It renders in a shadow root: the host page's CSS cannot
// break it and its CSS cannot leak into the host page.
(function () {
  'use strict';

  var script = document.currentScript;
  var base = (script && script.getAttribute('data-credgraph-api')) || (script ? new URL(script.src).origin : '');
  var QUERY = 'query EmbedCard($id: ID!) { credential(id: $id) { id name type ' +
    'issuer { name } skills { name } transparency { score } } }';
  var TOP_SKILLS = 5;
  var TYPES = {
    BADGE: 'Badge', MICRO_CREDENTIAL: 'Micro-credential', CERTIFICATE: 'Certificate',
    CERTIFICATION: 'Certification', LICENSE: 'Licence', DEGREE: 'Degree', COURSE: 'Course',
    OTHER: 'Other',
  };
  var STYLE =
    ':host { all: initial; display: block; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2430; }' +
    // The host element's own styles (the page's `div { ... }`) beat :host, and inherit:
    // the card sets its colour and font itself.
    '.card { border: 1px solid #d7dce3; border-radius: 6px; padding: .75rem .9rem; max-width: 26rem; background: #fff;' +
    ' color: #1d2430; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; text-align: left; }' +
    '.name { font-weight: 700; font-size: 1.05em; margin: 0 0 .15rem; }' +
    '.meta { color: #5b6473; margin: 0 0 .5rem; }' +
    '.skills { list-style: none; margin: 0 0 .5rem; padding: 0; }' +
    '.skills li { display: inline-block; margin: 0 .25rem .25rem 0; padding: 0 .4rem; border: 1px solid #d7dce3; border-radius: 3px; }' +
    '.foot { display: flex; justify-content: space-between; align-items: baseline; gap: .5rem; }' +
    '.score { font-weight: 700; }' +
    'a { color: #0b5cad; }' +
    '.error { color: #8a1c1c; }';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function card(credential) {
    var box = el('article', 'card');
    box.setAttribute('aria-label', 'Credential: ' + credential.name);
    box.appendChild(el('p', 'name', credential.name));
    var issuer = credential.issuer ? credential.issuer.name : 'Issuer not stated';
    box.appendChild(el('p', 'meta', issuer + ' · ' + (TYPES[credential.type] || credential.type)));
    var skills = el('ul', 'skills');
    skills.setAttribute('aria-label', 'Top skills');
    credential.skills.slice(0, TOP_SKILLS).forEach(function (s) { skills.appendChild(el('li', '', s.name)); });
    var more = credential.skills.length - TOP_SKILLS;
    if (more > 0) skills.appendChild(el('li', '', '+' + more + ' more'));
    if (credential.skills.length) box.appendChild(skills);
    var foot = el('div', 'foot');
    var score = el('span', 'score', 'Transparency ' + Math.round(credential.transparency.score) + '/100');
    var link = el('a', '', 'Compare');
    link.href = base + '/compare?ids=' + encodeURIComponent(credential.id);
    link.target = '_blank';
    link.rel = 'noopener';
    foot.appendChild(score);
    foot.appendChild(link);
    box.appendChild(foot);
    return box;
  }

  function mount(host) {
    if (host.getAttribute('data-credgraph-state')) return;  // the script was included twice
    host.setAttribute('data-credgraph-state', 'loading');
    var root = host.attachShadow({ mode: 'open' });
    var style = el('style');
    style.textContent = STYLE;
    root.appendChild(style);
    var id = host.getAttribute('data-credgraph-credential');
    var params = new URLSearchParams({ query: QUERY, variables: JSON.stringify({ id: id }), operationName: 'EmbedCard' });
    function fail(state, message) {
      root.appendChild(el('p', 'error', message));
      host.setAttribute('data-credgraph-state', state);
    }
    // Three different failures, worded differently: the browser refused to read the answer
    // (the API does not allow this page's origin, or it is unreachable: fetch cannot tell the
    // two apart), the API answered with an error, or it answered that there is no such id.
    fetch(base + '/graphql?' + params.toString(), { headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok && !(body && body.data)) {
            fail('error', 'The credential service answered HTTP ' + response.status + '; try again later.');
            return;
          }
          var credential = body.data && body.data.credential;
          if (!credential) {
            fail('not-found', 'No credential with id “' + id + '” is known to the credential service.');
            return;
          }
          root.appendChild(card(credential));
          host.setAttribute('data-credgraph-state', 'ready');
        });
      }, function () {
        fail('blocked', 'Credential details could not be loaded from ' + base + ': the browser ' +
          'blocked the request (CORS: this site is not in the service\'s CREDGRAPH_CORS_ORIGINS) ' +
          'or the service is unreachable.');
      });
  }

  function mountAll() {
    Array.prototype.forEach.call(document.querySelectorAll('[data-credgraph-credential]'), mount);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
