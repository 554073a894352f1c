import { checkLabelValue } from '../k8s/formats/names.js';
import type { Labels } from '../k8s/types.js';

/** The recommended label for the version of what a workload runs. */
export const VERSION_LABEL = 'app.kubernetes.io/version';

/**
 * The tag of an image reference (`registry:5000/acme/shop:1.4.0@sha256:...` -> `1.4.0`), or
 * undefined when it has none: a `:` counts only after the last `/` (a registry's port is not a tag),
 * and a digest is not a tag.
 */
export function imageTag(image: string): string | undefined {
  const at = image.indexOf('@');
  const name = at === -1 ? image : image.slice(0, at);
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

/**
 * `app.kubernetes.io/version` for a workload running `image`: its tag, when the tag says a
 * version. None for an image pinned by digest alone, for `latest` or no tag (they name no
 * version), and for a tag that is not a valid label value (longer than 63 characters, or starting
 * or ending with `.`, `-` or `_`): cut short or mended it would name another version, so it is
 * left out rather than emitted wrong.
 */
export function versionLabels(image: string | undefined): Labels {
  const tag = image === undefined ? undefined : imageTag(image);
  if (tag === undefined || tag === '' || tag === 'latest' || checkLabelValue(tag) !== undefined) return {};
  return { [VERSION_LABEL]: tag };
}
