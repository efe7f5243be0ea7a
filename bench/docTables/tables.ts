// Every generated figure table in docs/, by marker id.
import { backendLoad, backendRefusals } from './backend';
import { capsuleFigures, secretScan } from './capsule';
import { generation, models } from './generate';
import { firstHour, vsixSizes } from './packages';
import { mutationCost, sandboxOverhead, sandboxTargets } from './sandbox';
import { indexBuilds, searchIndex, searchIndexHash, searchQuality, searchQualityHeldout, searchScale } from './search';
import { searchModel } from './searchModel';
import { headline } from './startup';
import type { DocTable } from './types';
import { validationMeasured } from './validate';

export const docTables: DocTable[] = [
  headline,
  generation,
  models,
  searchIndex,
  searchIndexHash,
  searchScale,
  indexBuilds,
  searchQuality,
  searchQualityHeldout,
  searchModel,
  vsixSizes,
  capsuleFigures,
  secretScan,
  validationMeasured,
  sandboxOverhead,
  sandboxTargets,
  mutationCost,
  backendLoad,
  backendRefusals,
  firstHour,
];
