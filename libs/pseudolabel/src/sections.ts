import { z } from 'zod';
import { applyOverrides, defaultConfigSection, type Json } from '@covseg/io';
import { featuresConfigSchema, lungmaskConfigSchema } from '@covseg/features';
import { clusterConfigSchema, pseudolabelConfigSchema, reviewConfigSchema } from './config.js';

/** The config sections the cluster / pseudolabel / review / import-corrections stages read (features and lungmask are libs/features'). */
export const pseudolabelSectionsSchema = z
  .object({ features: featuresConfigSchema, lungmask: lungmaskConfigSchema, cluster: clusterConfigSchema, pseudolabel: pseudolabelConfigSchema, review: reviewConfigSchema })
  .strict();
export type PseudolabelSections = z.infer<typeof pseudolabelSectionsSchema>;

/** These sections' defaults (configs/default.json) with `a.b=value` overrides, validated (tests, benchmarks). */
export function defaultPseudolabelSections(sets: readonly string[] = []): PseudolabelSections {
  const names = ['features', 'lungmask', 'cluster', 'pseudolabel', 'review'] as const;
  const defaults = Object.fromEntries(names.map((n) => [n, defaultConfigSection(n) as Json]));
  return pseudolabelSectionsSchema.parse(applyOverrides(defaults, sets));
}
