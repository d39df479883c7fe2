/**
 * What a conformance case asserts of an answer, from the server or a resolver: the chunks chosen
 * per slot (by slug), the variant key, the matched segments, the persona, the experiment
 * assignments (variant by slug) and the warnings; only the status for a refused request.
 */
/** The chunk slug a documentId stands for in `manifest`. */
function slugOf(manifest, documentId) {
  const chunk = Object.values(manifest.chunks).find((c) => c.documentId === documentId);
  return chunk ? chunk.slug : documentId;
}

/** What a case asserts of an answer (`{ data, meta }`, from the server or a resolver). */
function expectedOf(manifest, status, answer) {
  if (status !== 200 || !answer || !answer.data) return { status };
  const { meta, data } = answer;
  return {
    status,
    persona: meta.persona,
    segments: meta.segments,
    variantKey: meta.variantKey,
    slots: Object.fromEntries(data.slots.map((s) => [s.key, s.chunks.map((c) => c.slug)])),
    experiments: (meta.experiments ?? []).map((e) => ({
      slot: e.slot,
      variant: slugOf(manifest, e.variant),
      holdout: e.holdout,
      bucketed: e.bucketed,
    })),
    warnings: meta.warnings ?? [],
  };
}

/** What does not depend on the identities a database gave the content (ids, update times). */
function identityFree(expected) {
  if (expected.status !== 200) return expected;
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  const { variantKey, experiments, slots, ...rest } = expected;
  // Experiments bucket on the asset's documentId: which candidate a visitor gets depends on it.
  const bucketed = new Set(experiments.map((e) => e.slot));
  return {
    ...rest,
    slots: Object.fromEntries(Object.entries(slots).filter(([key]) => !bucketed.has(key))),
    experiments: experiments.map(({ slot, bucketed: b }) => ({ slot, bucketed: b })),
  };
}

module.exports = { expectedOf, identityFree };
