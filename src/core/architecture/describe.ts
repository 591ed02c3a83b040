import type { Provider, Report } from '../model';
import type { ProjectIndex } from '../scan/project';
import type { Resolver } from '../scan/resolve';
import { buildArchitecture } from './model';
import { deployedProcesses } from './processes';
import { serviceUses } from './services';

export interface DescribeInputs {
  project: ProjectIndex;
  resolver: Resolver;
  /** Unit id -> ids of the components that reach it (attribution's result). */
  reached: ReadonlyMap<number, readonly string[]>;
  /** Whose names and prices the report's diagrams use (the first priced provider; default aws). */
  provider?: Provider;
}

/**
 * The analysis' architecture step: the services each component uses (`component.uses`), the processes deployed today
 * (`report.processes`), and today's and the proposed architecture (`report.architecture`).
 */
export function describeArchitecture(report: Report, inputs: DescribeInputs): void {
  const uses = serviceUses(inputs.project, inputs.resolver, inputs.reached);
  for (const c of report.components) {
    const list = uses.get(c.id);
    if (list?.length) c.uses = list;
  }
  report.processes = deployedProcesses(inputs.project, inputs.resolver, report.components);
  report.architecture = buildArchitecture(report, { provider: inputs.provider });
}
