import { type LedgerEvent, measure } from '../../events/catalogue/index.ts';
import { accept, type Decision, refuse } from '../decider.ts';
import { refusal } from '../refusals.ts';
import { isRefusal, openPeriodOrRefusal, parseAmount, referenceDataOf } from './ledger-checks.ts';
import type { LedgerCommand, LedgerCommandOf } from './ledger-commands.ts';
import type { LedgerState } from './ledger-state.ts';

/**
 * What the year reports nationally besides money: the minimums the plan must meet (the NHS
 * contribution to adult social care, and NHS-commissioned out-of-hospital services) and the
 * national metrics' quarterly targets and actuals. They move no money, so they are taken until
 * the year closes; they count in the open period, so a closed quarter keeps what it showed.
 */

export function setMinimums(
  command: LedgerCommandOf<'SetMinimums'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const socialCare = parseAmount('minimumSocialCare', command.minimumSocialCare, 'non-negative');
  if (isRefusal(socialCare)) return refuse(socialCare);
  const outOfHospital = parseAmount(
    'minimumOutOfHospital',
    command.minimumOutOfHospital,
    'non-negative',
  );
  if (isRefusal(outOfHospital)) return refuse(outOfHospital);
  const quarter = openPeriodOrRefusal(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  return accept({
    type: 'MinimumsSet.v1',
    data: {
      poolId: command.poolId,
      year: command.year,
      minimumSocialCare: socialCare.toString(),
      minimumOutOfHospital: outOfHospital.toString(),
      quarter,
    },
  });
}

export function setMetricTarget(
  command: LedgerCommandOf<'SetMetricTarget'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem = checkMetric(command, command.metricId) ?? checkMeasure('target', command.target);
  if (problem !== undefined) return refuse(problem);
  const quarter = openPeriodOrRefusal(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, metricId, forQuarter, target } = command;
  return accept({
    type: 'MetricTargetSet.v1',
    data: { poolId, year, metricId, forQuarter, target, quarter },
  });
}

/** An actual, provisional until the data is final; a final one is not made provisional again. */
export function recordMetricActual(
  command: LedgerCommandOf<'RecordMetricActual'>,
  state: LedgerState,
): Decision<LedgerEvent> {
  const problem = checkMetric(command, command.metricId) ?? checkMeasure('value', command.value);
  if (problem !== undefined) return refuse(problem);
  const status = state.metricActuals.get(`${command.metricId}\u0000${command.forQuarter}`);
  if (status === 'final' && command.status === 'provisional') {
    return refuse(
      refusal(
        'metric-final',
        `the ${command.forQuarter} actual of ${command.metricId} is final: correct it with another final figure`,
        'status',
        command.status,
      ),
    );
  }
  const quarter = openPeriodOrRefusal(state, command);
  if (isRefusal(quarter)) return refuse(quarter);
  const { poolId, year, metricId, forQuarter, value } = command;
  return accept({
    type: 'MetricActualRecorded.v1',
    data: { poolId, year, metricId, forQuarter, value, status: command.status, quarter },
  });
}

function checkMetric(command: LedgerCommand, metricId: string) {
  const metrics = referenceDataOf(command).metrics ?? [];
  if (metrics.some((metric) => metric.metricId === metricId)) return undefined;
  const known = metrics.map((metric) => metric.metricId).join(', ') || 'none';
  return refusal(
    'metric-unknown',
    `"${metricId}" is not a national metric of ${command.year}'s plan cycle (${known})`,
    'metricId',
    metricId,
  );
}

function checkMeasure(field: string, value: string) {
  if (measure.safeParse(value).success) return undefined;
  return refusal(
    'amount-invalid',
    `${field} "${value}" is not a number such as 27401 or 2.5`,
    field,
    value,
  );
}
