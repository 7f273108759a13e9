// Forms and filter links answer in place: this script fetches the page the server would show
// anyway (the same HTML under the same rules, since every page works without JavaScript) and
// swaps it in, so a visitor keeps their place and their focus. Links take part when marked
// `data-in-place`; forms always, unless they leave the site, open elsewhere or upload files.
// A search form marked `data-live` answers as the visitor types. Whatever this script cannot
// handle goes to the browser's own navigation.

const parser = new DOMParser();
// The newest navigation; an older answer that arrives late is dropped.
let latest = 0;
// The address (without the fragment) of the content on screen.
let shown = location.pathname + location.search;

document.addEventListener('submit', (event) => {
  const form = event.target;
  if (event.defaultPrevented || !(form instanceof HTMLFormElement)) return;
  const submitter = event.submitter;
  const method = (submitter?.getAttribute('formmethod') || form.getAttribute('method') || 'get').toLowerCase();
  const action = new URL(submitter?.getAttribute('formaction') || form.action, location.href);
  const elsewhere = action.origin !== location.origin || form.target;
  if (elsewhere || form.enctype === 'multipart/form-data' || !['get', 'post'].includes(method)) return;
  event.preventDefault();
  // Typing in a live search: the newest answer wins (older ones are dropped), and the page's
  // address is replaced, not added to the history at each key.
  const live = form.hasAttribute('data-live') && !submitter;
  // A second click while the first is on its way sends nothing more.
  if (!live && form.getAttribute('aria-busy') === 'true') return;
  const data = new URLSearchParams(new FormData(form, submitter));
  let request;
  if (method === 'get') {
    action.search = data.toString();
    request = new Request(action);
  } else {
    request = new Request(action, { method: 'POST', body: data });
  }
  form.setAttribute('aria-busy', 'true');
  show(request, {
    keep: live ? document.activeElement?.id : submitter?.id,
    history: live ? 'replace' : 'push',
    fallback: () => HTMLFormElement.prototype.submit.call(form),
  }).finally(() => form.removeAttribute('aria-busy'));
});

// A live search is sent a moment after the last key (or at once for a choice in a list).
let typing;
document.addEventListener('input', (event) => {
  const form = event.target.form;
  if (!form || !form.hasAttribute('data-live')) return;
  clearTimeout(typing);
  typing = setTimeout(() => form.requestSubmit(), event.target instanceof HTMLSelectElement ? 0 : 250);
});

document.addEventListener('click', (event) => {
  const link = event.target instanceof Element ? event.target.closest('a[data-in-place]') : null;
  const modified = event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey;
  if (!link || event.defaultPrevented || modified) return;
  const url = new URL(link.href);
  if (url.origin !== location.origin) return;
  event.preventDefault();
  show(new Request(url), { keep: link.id, fallback: () => location.assign(url) });
});

window.addEventListener('popstate', () => {
  // Only the fragment changed: the browser scrolls by itself.
  if (location.pathname + location.search === shown) return;
  show(new Request(location.href), { history: 'none', fallback: () => location.reload() });
});

/** Fetches `request` and shows the page it answers with. `keep` is the id of the element that
 * was used (a button, a link, the field being typed in) and gets the focus back if the new page
 * has it too. `history`: `push` a new entry, `replace` the current one, or `none`. */
async function show(request, { keep, history: remember = 'push', fallback }) {
  const mine = ++latest;
  // Set on the request itself: headers given to fetch() would replace the form's content type.
  request.headers.set('Accept', 'text/html');
  let response;
  try {
    response = await fetch(request);
  } catch {
    return fallback();
  }
  if (mine !== latest) return;
  if (!(response.headers.get('content-type') || '').startsWith('text/html')) {
    // Not a page (a file, a plain error): the browser shows it. A post answered without a
    // redirect is posted again by the browser itself, as it would have been without us.
    return response.redirected || request.method === 'GET' ? location.assign(response.url) : fallback();
  }
  const page = parser.parseFromString(await response.text(), 'text/html');
  if (mine !== latest) return;
  const url = new URL(response.url);
  // What is typed in the focused field now (maybe more than was sent) stays as it is.
  const typed = document.activeElement?.id === keep ? document.activeElement : null;
  swap(page);
  if (remember === 'push') history.pushState(null, '', url);
  if (remember === 'replace') history.replaceState(null, '', url);
  shown = url.pathname + url.search;
  hydrateIslands();
  setUpScanner();
  setUpPresent();
  placeFocus(keep);
  const field = keep && document.getElementById(keep);
  if (typed && 'value' in typed && field && 'value' in field && typed.type !== 'submit') {
    const sent = field.value;
    field.value = typed.value;
    if (typeof typed.selectionStart === 'number') {
      field.setSelectionRange(typed.selectionStart, typed.selectionEnd);
    }
    // Keys typed while the answer was on its way: ask again.
    if (field.value !== sent) field.dispatchEvent(new Event('input', { bubbles: true }));
  }
}

/** Puts the new page in place of the old one: its body, title, language and named metas
 * (robots, referrer). Scripts of a parsed page do not run. */
function swap(page) {
  document.title = page.title;
  document.documentElement.lang = page.documentElement.lang;
  for (const meta of document.head.querySelectorAll('meta[name]')) meta.remove();
  document.head.append(...page.head.querySelectorAll('meta[name]'));
  document.body.replaceWith(page.body);
}

/** Hydrates the islands of the new page (leptos' island script defines `__hydrateIsland` once
 * the wasm has loaded; if it has not yet, it hydrates the page it finds then). */
function hydrateIslands() {
  if (typeof window.__hydrateIsland !== 'function') return;
  for (const island of document.querySelectorAll('leptos-island')) {
    window.__hydrateIsland(island, island.dataset.component);
  }
}

/** The focus goes back to the element that was used, else to what asks for it (an error
 * summary), else to the top of the main content, as on a new page. */
function placeFocus(keep) {
  const target = (keep && document.getElementById(keep)) || document.querySelector('[autofocus]');
  if (target) {
    target.focus();
    return;
  }
  window.scrollTo(0, 0);
  document.getElementById('main')?.focus({ preventScroll: true });
}

// The event form shows the address its title suggests, while the address field is empty: the
// server makes the same one when the field is left empty (`EventSlug::from_title`, whose unit
// tests hold the cases this follows).
document.addEventListener('input', (event) => {
  if (event.target.id !== 'field-title') return;
  const address = event.target.form?.querySelector('#field-slug');
  if (address) address.placeholder = suggestedAddress(event.target.value);
});

function suggestedAddress(title) {
  const spelled = { 'ä': 'ae', 'ö': 'oe', 'ü': 'ue', 'ß': 'ss' };
  let slug = '';
  for (const c of title.toLowerCase()) {
    if (/[a-z0-9]/.test(c)) slug += c;
    else if (spelled[c]) slug += spelled[c];
    else if (slug && !slug.endsWith('-')) slug += '-';
  }
  if (slug.length > 60) {
    const cut = slug.slice(0, 61).lastIndexOf('-');
    slug = slug.slice(0, cut > 0 ? cut : 60);
  }
  return slug.replace(/-+$/, '');
}

// The scan page (`/admin/events/{slug}/scan`): where the browser reads QR codes
// (`BarcodeDetector`), the camera puts a ticket's code into the form and sends it. The camera
// keeps running while the page answers in place: each new page gets the running video. Where the
// browser cannot, the part stays hidden and the door types the code (or uses the door list).
let camera = null;
// The same ticket held in front of the camera is sent once, not at every frame.
let lastRead = { value: '', at: 0 };
const READ_AGAIN_AFTER_MS = 10000;

function setUpScanner() {
  const scanner = document.querySelector('[data-scanner]');
  if (!scanner || !('BarcodeDetector' in window)) return;
  scanner.hidden = false;
  const start = scanner.querySelector('#scan-start');
  if (camera) {
    start.hidden = true;
    attachCamera(scanner);
    return;
  }
  start.addEventListener('click', async () => {
    try {
      const formats = (await window.BarcodeDetector.getSupportedFormats?.()) ?? ['qr_code'];
      if (!formats.includes('qr_code')) throw new Error('this browser reads no QR codes');
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
      camera = { stream, detector: new window.BarcodeDetector({ formats: ['qr_code'] }) };
      start.hidden = true;
      attachCamera(scanner);
      lookForTickets();
    } catch {
      scanner.querySelector('#scan-status').textContent = scanner.dataset.denied;
    }
  });
}

function attachCamera(scanner) {
  const video = scanner.querySelector('video');
  video.srcObject = camera.stream;
  video.play().catch(() => {});
  scanner.querySelector('#scan-status').textContent = scanner.dataset.looking;
}

async function lookForTickets() {
  if (!camera) return;
  const video = document.getElementById('scan-video');
  const form = document.getElementById('scan-form');
  if (!video || !form) {
    // The page answered with another page: the camera goes off.
    for (const track of camera.stream.getTracks()) track.stop();
    camera = null;
    return;
  }
  if (form.getAttribute('aria-busy') !== 'true') {
    try {
      const [found] = await camera.detector.detect(video);
      const now = Date.now();
      if (found && !(found.rawValue === lastRead.value && now - lastRead.at < READ_AGAIN_AFTER_MS)) {
        lastRead = { value: found.rawValue, at: now };
        form.elements.code.value = found.rawValue;
        form.requestSubmit();
      }
    } catch {
      // No frame yet, or one the detector could not read: the next one may do.
    }
  }
  setTimeout(lookForTickets, 200);
}

setUpScanner();

// The present view (`/events/{series}/{date}/present`): one slide at a time on the screen, moved
// with the keys a presenter's remote sends (arrows, Page Up/Down, space), Home and End for the
// first and last slide, F for full screen. The slide's number is kept in the address (#slide-3),
// so a reload stays where it was. Without JavaScript the slides follow each other down the page.
function setUpPresent() {
  const deck = document.querySelector('[data-present]');
  if (!deck) return;
  deck.classList.add('presenting');
  const wanted = /^#slide-(\d+)$/.exec(location.hash);
  showSlide(deck, wanted ? Number(wanted[1]) - 1 : 0);
}

function showSlide(deck, index) {
  const slides = deck.querySelectorAll('.slide');
  if (slides.length === 0) return;
  const current = Math.min(Math.max(index, 0), slides.length - 1);
  slides.forEach((slide, i) => {
    slide.hidden = i !== current;
  });
  deck.dataset.current = String(current);
  history.replaceState(null, '', `#${slides[current].id}`);
  slides[current].focus({ preventScroll: true });
}

const SLIDE_KEYS = {
  ArrowRight: 1, ArrowDown: 1, PageDown: 1, ' ': 1,
  ArrowLeft: -1, ArrowUp: -1, PageUp: -1,
};

document.addEventListener('keydown', (event) => {
  const deck = document.querySelector('[data-present].presenting');
  const typing = event.target instanceof HTMLElement && event.target.closest('input, textarea, select, button');
  if (!deck || typing || event.altKey || event.ctrlKey || event.metaKey) return;
  const current = Number(deck.dataset.current || 0);
  const last = deck.querySelectorAll('.slide').length - 1;
  let next;
  if (event.key in SLIDE_KEYS) next = current + (event.shiftKey && event.key === ' ' ? -1 : SLIDE_KEYS[event.key]);
  else if (event.key === 'Home') next = 0;
  else if (event.key === 'End') next = last;
  else if (event.key === 'f' || event.key === 'F') {
    if (document.fullscreenElement) document.exitFullscreen();
    else deck.requestFullscreen?.().catch(() => {});
    event.preventDefault();
    return;
  } else return;
  event.preventDefault();
  showSlide(deck, next);
});

setUpPresent();
