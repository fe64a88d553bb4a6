import { LABEL } from '@covseg/io';

/** A label value K-means clusters map to. */
export type ClassLabel = typeof LABEL.ggo | typeof LABEL.consolidation | typeof LABEL.vessels;
