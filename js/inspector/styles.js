/**
 * The inspector's style sheet, applied inside its shadow root: the page's CSS does not
 * reach in, and `.root` resets what would inherit through the host. Lengths are in px,
 * never rem (the page's root font size would scale them). Docked on the right from
 * 720 px wide; the whole viewport below (360 px and up without horizontal scrolling);
 * collapsed to its header bar at the bottom either way.
 *
 * @module trackplan/inspector/styles
 */

export const STYLES = `
.root {
  all: initial;
  --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --soft: #f8fafc; --focus: #2563eb;
  --good: #15803d; --good-soft: #dcfce7; --bad: #b91c1c; --bad-soft: #fee2e2; --warn-soft: #fef3c7;
  font: 13px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink);
  direction: ltr;
  text-align: left;
}
[hidden] { display: none !important; }
*, *::before, *::after { box-sizing: border-box; }
button, input, select { font: inherit; color: inherit; margin: 0; }
:focus-visible { outline: 2px solid var(--focus); outline-offset: 1px; }
code, pre { font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
code { background: #f1f5f9; border-radius: 3px; padding: 0 3px; overflow-wrap: anywhere; }
pre { margin: 4px 0 0; padding: 6px 8px; background: var(--soft); border: 1px solid var(--line); border-radius: 4px;
  white-space: pre-wrap; overflow-wrap: anywhere; max-height: 260px; overflow: auto; }
p { margin: 0; }
ul, ol { margin: 0; padding: 0; list-style: none; }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }

.panel {
  position: fixed; top: 0; right: 0; bottom: 0; width: 460px; max-width: 100%;
  display: flex; flex-direction: column; background: white;
  border-left: 1px solid #cbd5e1; box-shadow: -6px 0 24px rgba(15, 23, 42, 0.18);
}
.panel.collapsed { top: auto; width: 340px; border: 1px solid #cbd5e1; border-radius: 8px 0 0 0; }
@media (max-width: 719px) {
  .panel { left: 0; width: auto; border-left: 0; }
  .panel.collapsed { width: auto; border-radius: 0; }
}
.panel:focus { outline: none; }

.bar { display: flex; align-items: center; gap: 8px; padding: 8px 10px; background: var(--ink); color: #f8fafc; flex: none; }
.bar h2 { font-size: 14px; font-weight: 700; margin: 0; }
.bar .title { display: flex; flex-wrap: wrap; align-items: baseline; gap: 0 8px; min-width: 0; }
.bar .meta { color: #94a3b8; font-size: 12px; min-width: 0; overflow-wrap: anywhere; }
.bar .summary { margin-left: auto; font-size: 12px; white-space: nowrap; }
.bar .summary .bad { color: #fca5a5; font-weight: 600; }
.icon { flex: none; width: 28px; height: 28px; border: 1px solid #334155; border-radius: 6px; background: #1e293b;
  color: #f8fafc; cursor: pointer; line-height: 1; }
.icon:hover { background: #334155; }
.bar :focus-visible { outline-color: #93c5fd; }

.body { display: flex; flex-direction: column; flex: 1; min-height: 0; }
[role="tablist"] { display: flex; gap: 2px; padding: 0 8px; border-bottom: 1px solid var(--line); flex: none; overflow-x: auto; }
[role="tab"] { border: 0; background: none; padding: 8px 10px; cursor: pointer; color: var(--muted);
  border-bottom: 2px solid transparent; white-space: nowrap; }
[role="tab"][aria-selected="true"] { color: #1d4ed8; border-bottom-color: #2563eb; font-weight: 600; }
[role="tab"] .n { font-size: 11px; background: #f1f5f9; border-radius: 9px; padding: 0 6px; margin-left: 4px; }
[role="tabpanel"] { flex: 1; min-height: 0; overflow: auto; padding: 10px; }

.filters { display: flex; flex-wrap: wrap; gap: 6px; align-items: center; margin-bottom: 8px; }
.filters input { flex: 1 1 140px; min-width: 0; padding: 4px 6px; border: 1px solid #cbd5e1; border-radius: 4px; background: white; }
.filters select, .button { padding: 4px 6px; border: 1px solid #cbd5e1; border-radius: 4px; background: white; cursor: pointer; }
.count, .note { color: var(--muted); font-size: 12px; }
.count { margin-bottom: 8px; }
.empty { color: #94a3b8; padding: 12px 2px; }

.list > li { border: 1px solid var(--line); border-left: 4px solid var(--good); border-radius: 6px; margin: 0 0 8px; background: white; }
.list > li.bad { border-left-color: #dc2626; background: #fffafa; }
.list > li.plain { border-left-color: #94a3b8; }
.row { display: flex; flex-wrap: wrap; align-items: baseline; gap: 4px 8px; width: 100%; padding: 7px 10px; border: 0;
  background: none; text-align: left; cursor: pointer; border-radius: 6px; }
.row::before { content: "▸"; color: var(--muted); flex: none; }
.row[aria-expanded="true"]::before { content: "▾"; }
.row .mark { font-weight: 700; color: var(--good); }
.bad .row .mark { color: var(--bad); }
.row .label { font-weight: 600; overflow-wrap: anywhere; min-width: 0; }
.badge { font-size: 11px; padding: 1px 6px; border-radius: 9px; background: #e2e8f0; color: #334155; overflow-wrap: anywhere; }
.badge.blocked, .badge.dropped { background: var(--bad-soft); color: #991b1b; }
.badge.sent, .badge.queued { background: var(--good-soft); color: #166534; }
.badge.omitted { background: var(--warn-soft); color: #92400e; }
.site { padding: 0 10px 6px 28px; color: var(--muted); font-size: 12px; overflow-wrap: anywhere; }
.site code { background: none; padding: 0; color: #334155; }
.violations { padding: 0 10px 8px 28px; }
.violations li { padding: 2px 0; overflow-wrap: anywhere; }
.violations li::before { content: "✗ "; color: var(--bad); }
.violations.hints li::before { content: "i "; color: #2563eb; font-weight: 700; }
.violations .where { color: var(--muted); font-size: 11px; margin-left: 6px; }
.details { padding: 0 10px 10px 28px; }
.details .caption, .block .caption { font-size: 11px; font-weight: 600; color: var(--muted); text-transform: uppercase; margin-top: 6px; }

.properties li { border-top: 1px solid var(--line); padding: 6px 0; overflow-wrap: anywhere; }
.properties .type { color: #7c3aed; margin-left: 6px; }
.properties .req { margin-left: 6px; }
.properties .desc, .properties .allowed { color: #475569; font-size: 12px; }
.plan-name { margin-bottom: 8px; overflow-wrap: anywhere; }
.explain { margin-top: 8px; }
`;
