import { InputError, LABEL } from '@covseg/io';
import type { ClassLabel } from './labels.js';

/** The channels whose mean is a centroid's vesselness: every feature named frangi*. */
export function frangiChannels(featureNames: readonly string[]): number[] {
  return featureNames.flatMap((n, i) => (/^frangi/i.test(n) ? [i] : []));
}

/**
 * Class label of each cluster from its centroid in original feature units, never from its index:
 * the highest mean Frangi vesselness → vessels (4); of the others, the highest HU → consolidation (3);
 * every remaining cluster → GGO (2). Ties go to the lower cluster index (deterministic).
 */
export function mapClustersToClasses(centroids: ArrayLike<number>, k: number, featureNames: readonly string[]): ClassLabel[] {
  const d = featureNames.length;
  if (centroids.length !== k * d) throw new InputError(`centroids hold ${centroids.length} values, expected ${k} clusters × ${d} features`);
  const frangi = frangiChannels(featureNames);
  const hu = featureNames.indexOf('hu');
  if (frangi.length === 0) throw new InputError(`no Frangi feature among [${featureNames.join(', ')}]: cannot tell vessels apart`);
  if (hu < 0) throw new InputError(`no 'hu' feature among [${featureNames.join(', ')}]: cannot tell consolidation from GGO`);
  if (k < 3) throw new InputError(`k=${k}: mapping needs at least 3 clusters (vessels, consolidation, GGO)`);
  const vesselness = (c: number) => frangi.reduce((s, j) => s + centroids[c * d + j], 0) / frangi.length;
  const argmax = (ids: number[], f: (c: number) => number) => ids.reduce((b, c) => (f(c) > f(b) ? c : b));
  const all = Array.from({ length: k }, (_, c) => c);
  const vessel = argmax(all, vesselness);
  const rest = all.filter((c) => c !== vessel);
  const consolidation = argmax(rest, (c) => centroids[c * d + hu]);
  return all.map((c) => (c === vessel ? LABEL.vessels : c === consolidation ? LABEL.consolidation : LABEL.ggo));
}
