/*
 * Live progress of a connection-test session page: every 2 s, while the page is visible and the session open,
 * reads the session's JSON API (`data-conformance-api`) and updates the status badges of its plans and tests,
 * their findings, and says when new calls were recorded. The page shows the same statuses without it (they
 * are those of the moment it was made; « Actualiser » reloads it).
 */
const root = document.querySelector('[data-conformance-session]');
const INTERVAL_MS = 2000;
const badgeClasses = { passed: 'fr-badge--success', failed: 'fr-badge--error', not_run: 'fr-badge--info' };

function label(status) {
  return root.getAttribute(`data-label-${status}`) || status;
}

function setBadge(element, status) {
  if (!element || !(status in badgeClasses) || element.dataset.status === status) return false;
  for (const c of Object.values(badgeClasses)) element.classList.remove(c);
  element.classList.add(badgeClasses[status]);
  element.textContent = label(status);
  element.dataset.status = status;
  return true;
}

const byAttribute = (name, value) =>
  [...root.querySelectorAll(`[${name}]`)].find((e) => e.getAttribute(name) === value);

/** The plans of the API's answer, whichever of its names it uses (`plans` or `verdicts`, `id` or `planId`). */
function plansOf(body) {
  const plans = Array.isArray(body?.plans) ? body.plans : Array.isArray(body?.verdicts) ? body.verdicts : [];
  return plans.filter((p) => p && typeof p === 'object');
}

function apply(body) {
  const lang = document.documentElement.lang === 'en' ? 'en' : 'fr';
  let changes = 0;
  for (const plan of plansOf(body)) {
    if (setBadge(byAttribute('data-plan-status', plan.id ?? plan.planId), plan.status)) changes++;
    for (const test of Array.isArray(plan.tests) ? plan.tests : []) {
      const id = test.id ?? test.testId;
      if (setBadge(byAttribute('data-test-status', id), test.status)) changes++;
      const reason = byAttribute('data-test-reason', id);
      const text = test.reason && typeof test.reason === 'object' ? test.reason[lang] : undefined;
      if (reason && typeof text === 'string' && reason.textContent !== text) reason.textContent = text;
    }
  }
  const calls =
    typeof body?.callCount === 'number'
      ? body.callCount
      : Array.isArray(body?.calls)
        ? body.calls.length
        : undefined;
  const known = Number(root.dataset.calls || '0');
  if (calls !== undefined && calls > known) {
    root.dataset.calls = String(calls);
    const count = root.querySelector('[data-conformance-calls-count]');
    const updated = (root.dataset.labelUpdated || '').replace('{count}', String(calls));
    if (count) count.textContent = updated;
    const notice = root.querySelector('[data-conformance-new-calls]');
    if (notice) {
      notice.textContent = root.dataset.labelNewCalls || '';
      notice.classList.remove('fr-sr-only');
    }
  }
  const live = root.querySelector('[data-conformance-live]');
  if (live && changes > 0)
    live.textContent = (root.dataset.labelUpdated || '').replace('{count}', String(calls ?? known));
  if (body?.status === 'closed') root.dataset.open = 'false';
}

async function poll() {
  if (root.dataset.open !== 'true') return;
  if (document.visibilityState === 'visible') {
    try {
      const response = await fetch(root.dataset.conformanceApi, {
        headers: { accept: 'application/json' },
        credentials: 'same-origin',
        cache: 'no-store',
      });
      if (response.ok) apply(await response.json());
    } catch {
      // A failed poll is tried again at the next tick: the page keeps what it shows.
    }
  }
  setTimeout(poll, INTERVAL_MS);
}

if (root?.dataset.conformanceApi) {
  for (const badge of root.querySelectorAll('[data-plan-status], [data-test-status]')) {
    const status = Object.keys(badgeClasses).find((s) => badge.classList.contains(badgeClasses[s]));
    if (status) badge.dataset.status = status;
  }
  setTimeout(poll, INTERVAL_MS);
}
