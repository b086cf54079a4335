/** Reads a V8 .cpuprofile and says where the time went: self time by function and by package. */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Share {
  name: string;
  percent: number;
}

export interface ProfileSummary {
  /** Busy time (not idle), in ms. */
  busyMs: number;
  selfByFunction: Share[];
  selfByPackage: Share[];
  inclusive: Share[];
}

const IDLE = new Set(['(idle)', '(program)']);

function place(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '').replace(root, '');
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (inModules) return inModules[1];
  if (path.startsWith('node:')) return path.split('/')[0].replace(/^node:internal.*/, 'node (internal)');
  return path || '(native)';
}

function top(map: Map<string, number>, total: number, count: number): Share[] {
  return [...map]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, time]) => ({ name, percent: (100 * time) / total }));
}

export function summarizeProfile(file: string, root: string, count = 25): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const timeOf = new Map<number, number>();
  profile.samples.forEach((id, n) => timeOf.set(id, (timeOf.get(id) ?? 0) + (profile.timeDeltas[n] ?? 0)));

  const label = (node: ProfileNode) =>
    `${node.callFrame.functionName || '(anonymous)'} ${place(node.callFrame.url, root)}${node.callFrame.url ? `:${node.callFrame.lineNumber + 1}` : ''}`;
  const selfByFunction = new Map<string, number>();
  const selfByPackage = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let busy = 0;
  for (const [id, time] of timeOf) {
    const node = byId.get(id)!;
    if (IDLE.has(node.callFrame.functionName)) continue;
    busy += time;
    const name = label(node);
    selfByFunction.set(name, (selfByFunction.get(name) ?? 0) + time);
    const pkg = node.callFrame.url
      ? place(node.callFrame.url, root).split('/').slice(0, 2).join('/')
      : node.callFrame.functionName;
    selfByPackage.set(pkg, (selfByPackage.get(pkg) ?? 0) + time);
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = label(byId.get(at)!);
      if (seen.has(frame) || frame.startsWith('(root)')) continue;
      seen.add(frame);
      inclusive.set(frame, (inclusive.get(frame) ?? 0) + time);
    }
  }
  return {
    busyMs: busy / 1000,
    selfByFunction: top(selfByFunction, busy, count),
    selfByPackage: top(selfByPackage, busy, count),
    inclusive: top(inclusive, busy, count),
  };
}
