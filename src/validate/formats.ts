import { checkCapability } from '../k8s/formats/capabilities.js';
import { checkCronSchedule, checkTimeZone } from '../k8s/formats/cron.js';
import { checkEnvFieldPath } from '../k8s/formats/downward-api.js';
import { checkDuration } from '../k8s/formats/duration.js';
import { checkIngressHost } from '../k8s/formats/hosts.js';
import { checkImage } from '../k8s/formats/image.js';
import { checkConfigKey, checkHttpHeaderName } from '../k8s/formats/keys.js';
import {
  checkAbsolutePath,
  checkAnnotationKey,
  checkDns1035Label,
  checkDnsLabel,
  checkDnsSubdomain,
  checkEnvVarName,
  checkIanaSvcName,
  checkLabelKey,
  checkLabelValue,
} from '../k8s/formats/names.js';
import { checkIngressPath, checkRelativePath } from '../k8s/formats/paths.js';
import { checkQuantity } from '../k8s/formats/quantity.js';
import { checkResourceQuantity, checkSize } from '../k8s/formats/quantity-value.js';
import { checkContainerResourceName } from '../k8s/formats/resource-names.js';

/**
 * The string formats the schema uses. Each returns why a value is wrong, so that a failed
 * `format` becomes a specific message instead of "must match format". Where Kubernetes checks a
 * value, the format checks it the same way (or more strictly), so that what passes here is
 * accepted by the API server.
 */
export const FORMATS: Readonly<Record<string, (s: string) => string | undefined>> = {
  'dns-label': checkDnsLabel,
  'dns-1035-label': checkDns1035Label,
  'dns-subdomain': checkDnsSubdomain,
  'label-key': checkLabelKey,
  'label-value': checkLabelValue,
  'annotation-key': checkAnnotationKey,
  'config-key': checkConfigKey,
  'port-name': checkIanaSvcName,
  'env-name': checkEnvVarName,
  'env-field-path': checkEnvFieldPath,
  'http-header-name': checkHttpHeaderName,
  'absolute-path': checkAbsolutePath,
  'relative-path': checkRelativePath,
  'ingress-path': checkIngressPath,
  'hostname-wildcard': checkIngressHost,
  image: checkImage,
  quantity: checkQuantity,
  'resource-quantity': checkResourceQuantity,
  size: checkSize,
  'resource-name': checkContainerResourceName,
  duration: checkDuration,
  cron: checkCronSchedule,
  'time-zone': checkTimeZone,
  'linux-capability': checkCapability,
};
