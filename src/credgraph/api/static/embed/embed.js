// credgraph embed: <script src="https://CREDGRAPH/embed.js" async></script> turns every
// <div data-credgraph-credential="ID"> on the page into a compact credential card, and every
// <div data-credgraph-job="POSTING URL OR ID"> into the credentials that prepare for that job
// posting, with the share of its skills each covers (matchJob: a stored posting by id, else
// the posting page at that URL).
// The cards ask CREDGRAPH's /graphql with GETs (cacheable), several cards a request, so the
// page's origin must be in the API's CREDGRAPH_CORS_ORIGINS. It renders in a shadow root: the host page's CSS cannot
// break it and its CSS cannot leak into the host page.
(function () {
  'use strict';

  var script = document.currentScript;
  var base = (script && script.getAttribute('data-credgraph-api')) || (script ? new URL(script.src).origin : '');
  var CARD = 'fragment EmbedCard on Credential { id name type issuer { name } skills { name } ' +
    'transparency { score } }';
  // The page's cards are asked for together, an aliased `credential` each, in batches: 80
  // cards cost four requests of the visitor's rate limit (50 at once, then 10 a second by
  // default), not 80. A batch of 20 stays well inside the API's limits (30 aliases, 2,000
  // tokens, cost 20,000: about 19 a card) and its URL, ids included, short of the server's
  // 16 kB cap on a request's head.
  var BATCH = 20;
  var BATCH_ID_CHARS = 6000;
  // Past the rate limit (429) or while the API is busy (503), a request is tried again after
  // its Retry-After, twice at most, waiting no more than 30 s each time.
  var RETRIES = 2;
  var MAX_WAIT_SECONDS = 30;
  var TOP_SKILLS = 5;
  var COMPARED = 4;  // what the compare page takes (its MAX)
  var JOB_QUERY = 'query EmbedJob($id: ID, $url: String) { matchJob(id: $id, url: $url, first: 5) { ' +
    'skills { name } credentials { credential { id name issuer { name } } coverage } } }';
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
    '.matches { list-style: none; margin: 0 0 .5rem; padding: 0; }' +
    '.matches li { display: flex; justify-content: space-between; gap: .75rem; padding: .2rem 0; border-bottom: 1px solid #eef0f3; }' +
    '.coverage { font-weight: 700; white-space: nowrap; }' +
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

  function jobCard(match) {
    var box = el('article', 'card');
    box.setAttribute('aria-label', 'Credentials for this job');
    box.appendChild(el('p', 'name', 'Credentials that prepare for this job'));
    var names = match.skills.map(function (s) { return s.name; });
    box.appendChild(el('p', 'meta', names.length ? 'Skills asked: ' + names.slice(0, TOP_SKILLS).join(', ') +
      (names.length > TOP_SKILLS ? ' +' + (names.length - TOP_SKILLS) + ' more' : '') : 'No skills recognised'));
    var list = el('ul', 'matches');
    list.setAttribute('aria-label', 'Credentials, best first');
    match.credentials.forEach(function (m) {
      var item = el('li');
      var who = m.credential.issuer ? ' · ' + m.credential.issuer.name : '';
      item.appendChild(el('span', 'credential', m.credential.name + who));
      item.appendChild(el('span', 'coverage', Math.round(m.coverage * 100) + '% of skills'));
      list.appendChild(item);
    });
    if (match.credentials.length) box.appendChild(list);
    else box.appendChild(el('p', 'meta', 'No credential in the graph covers these skills yet.'));
    if (match.credentials.length) {
      var foot = el('div', 'foot');
      // The compare page takes four: the best four, and the link says so when more are listed.
      var compared = match.credentials.slice(0, COMPARED);
      var link = el('a', '', compared.length < match.credentials.length
        ? 'Compare the top ' + compared.length : 'Compare');
      link.href = base + '/compare?ids=' + compared.map(function (m) {
        return encodeURIComponent(m.credential.id);
      }).join(',');
      link.target = '_blank';
      link.rel = 'noopener';
      foot.appendChild(el('span'));
      foot.appendChild(link);
      box.appendChild(foot);
    }
    return box;
  }

  // Three different failures, worded differently: the browser refused to read the answer
  // (the API does not allow this page's origin, or it is unreachable: fetch cannot tell the
  // two apart), the API answered with an error, or it answered that there is no such thing.
  function ask(query, variables, operationName, retries) {
    if (retries === undefined) retries = RETRIES;
    var params = new URLSearchParams({ query: query, variables: JSON.stringify(variables), operationName: operationName });
    return fetch(base + '/graphql?' + params.toString(), { headers: { Accept: 'application/json' } })
      .then(function (response) {
        var wait = retryAfter(response);
        if (wait !== null && retries > 0) {
          return later(wait).then(function () { return ask(query, variables, operationName, retries - 1); });
        }
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (!response.ok && !(body && body.data)) throw { state: 'error', status: response.status };
          return body;
        });
      }, function () { throw { state: 'blocked' }; });
  }

  // Seconds to wait before asking again, or null when the answer is not "try again later".
  // The API exposes Retry-After to other origins (CORS); unreadable, it counts as 1 s.
  function retryAfter(response) {
    if (response.status !== 429 && response.status !== 503) return null;
    var seconds = Number(response.headers.get('Retry-After'));
    return Math.min(isFinite(seconds) && seconds > 0 ? seconds : 1, MAX_WAIT_SECONDS);
  }

  function later(seconds) {
    return new Promise(function (resolve) { setTimeout(resolve, seconds * 1000); });
  }

  // Only some elements can take a shadow root (<div>, <span>, <article>...: not <li>, <td>,
  // <a> or <ul>): for the others the card goes in a <div> inside the host, still in a shadow
  // root of its own, so it renders where the page put it with its CSS kept apart.
  function shadow(host) {
    if (host.getAttribute('data-credgraph-state')) return null;  // the script was included twice
    host.setAttribute('data-credgraph-state', 'loading');
    var root;
    try {
      root = host.attachShadow({ mode: 'open' });
    } catch (error) {
      root = host.appendChild(el('div')).attachShadow({ mode: 'open' });
    }
    var style = el('style');
    style.textContent = STYLE;
    root.appendChild(style);
    return root;
  }

  function fail(host, root, reason, what, notFound) {
    var state = reason && reason.state === 'error' ? 'error' : reason && reason.state === 'blocked' ? 'blocked' : 'not-found';
    var message = notFound;
    if (state === 'error') {
      message = 'The credential service answered HTTP ' + reason.status + '; try again later.';
    } else if (state === 'blocked') {
      message = what + ' could not be loaded from ' + base + ': the browser ' +
        'blocked the request (CORS: this site is not in the service\'s CREDGRAPH_CORS_ORIGINS) ' +
        'or the service is unreachable.';
    }
    root.appendChild(el('p', 'error', message));
    host.setAttribute('data-credgraph-state', state);
  }

  // A credential card's host, given its shadow root; drawn once its batch is answered.
  function mount(host) {
    var root = shadow(host);
    return root ? { host: host, root: root, id: host.getAttribute('data-credgraph-credential') } : null;
  }

  function show(pending, credential) {
    if (credential) {
      pending.root.appendChild(card(credential));
      pending.host.setAttribute('data-credgraph-state', 'ready');
    } else {
      unshown(pending, { state: 'not-found' });
    }
  }

  function unshown(pending, reason) {
    fail(pending.host, pending.root, reason, 'Credential details',
      'No credential with id “' + pending.id + '” is known to the credential service.');
  }

  // Distinct ids in batches of at most BATCH, and of BATCH_ID_CHARS characters once encoded.
  function batches(ids) {
    var all = [], current = [], chars = 0;
    ids.forEach(function (id) {
      var size = encodeURIComponent(JSON.stringify(id)).length;
      if (current.length && (current.length >= BATCH || chars + size > BATCH_ID_CHARS)) {
        all.push(current);
        current = [];
        chars = 0;
      }
      current.push(id);
      chars += size;
    });
    if (current.length) all.push(current);
    return all;
  }

  function batchQuery(count) {
    var variables = [], fields = [];
    for (var i = 0; i < count; i++) {
      variables.push('$c' + i + ': ID!');
      fields.push('c' + i + ': credential(id: $c' + i + ') { ...EmbedCard }');
    }
    return 'query EmbedCards(' + variables.join(', ') + ') { ' + fields.join(' ') + ' } ' + CARD;
  }

  // One request per batch; each card drawn from its alias, or failed with its batch.
  function loadCards(pending) {
    // No prototype: an id such as "constructor" or "__proto__" is a key like any other.
    var byId = Object.create(null);
    pending.forEach(function (p) { (byId[p.id] = byId[p.id] || []).push(p); });
    batches(Object.keys(byId)).forEach(function (ids) {
      var variables = {};
      ids.forEach(function (id, i) { variables['c' + i] = id; });
      ask(batchQuery(ids.length), variables, 'EmbedCards')
        .then(function (body) {
          ids.forEach(function (id, i) {
            var credential = body.data && body.data['c' + i];
            // Each card on its own: one that cannot be drawn fails alone, not its batch.
            byId[id].forEach(function (p) {
              try { show(p, credential); } catch (reason) { unshown(p, reason); }
            });
          });
        })
        .catch(function (reason) {
          ids.forEach(function (id) {
            byId[id].forEach(function (p) { unshown(p, reason); });
          });
        });
    });
  }

  function mountJob(host) {
    var root = shadow(host);
    if (!root) return;
    var job = host.getAttribute('data-credgraph-job') || '';
    // A stored posting first (its id is often its URL); else the posting page itself.
    ask(JOB_QUERY, { id: job }, 'EmbedJob')
      .then(function (body) {
        if (body.data && body.data.matchJob) return body;
        if (!/^https?:\/\//.test(job)) throw { state: 'not-found' };
        return ask(JOB_QUERY, { url: job }, 'EmbedJob');
      })
      .then(function (body) {
        var match = body.data && body.data.matchJob;
        if (!match) throw { state: 'not-found' };
        root.appendChild(jobCard(match));
        host.setAttribute('data-credgraph-state', 'ready');
      })
      .catch(function (reason) {
        fail(host, root, reason, 'Credentials for this job',
          'No job posting “' + job + '” is known to the credential service or could be read.');
      });
  }

  // Each host on its own: one that cannot be mounted says so and the others still are.
  function mountEach(selector, mountOne) {
    var mounted = [];
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (host) {
      try {
        var one = mountOne(host);
        if (one) mounted.push(one);
      } catch (error) {
        host.setAttribute('data-credgraph-state', 'error');
        host.textContent = 'This credential card could not be shown here (' + error.message + ').';
      }
    });
    return mounted;
  }

  function mountAll() {
    loadCards(mountEach('[data-credgraph-credential]', mount));
    mountEach('[data-credgraph-job]', mountJob);
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mountAll);
  else mountAll();
})();
