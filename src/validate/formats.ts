import { checkCronSchedule, checkTimeZone } from '../formats/cron.js';
import { checkDuration } from '../formats/duration.js';
import {
  checkAbsolutePath,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvVarName,
  checkIanaSvcName,
  checkLabelKey,
  checkLabelValue,
} from '../formats/names.js';
import { checkQuantity } from '../formats/quantity.js';

/**
 * The string formats the schema uses. Each returns why a value is wrong, so that a failed
 * `format` becomes a specific message instead of "must match format".
 */
export const FORMATS: Readonly<Record<string, (s: string) => string | undefined>> = {
  'dns-label': checkDnsLabel,
  'label-key': checkLabelKey,
  'label-value': checkLabelValue,
  'port-name': checkIanaSvcName,
  'env-name': checkEnvVarName,
  'absolute-path': checkAbsolutePath,
  quantity: checkQuantity,
  duration: checkDuration,
  cron: checkCronSchedule,
  'time-zone': checkTimeZone,
  'hostname-wildcard': (s) => checkDnsSubdomain(s.startsWith('*.') ? s.slice(2) : s),
};
