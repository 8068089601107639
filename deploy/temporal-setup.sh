#!/bin/sh
# The namespace (with its retention) and the campaign's four Keyword search attributes
# (src/workflows/search-attributes.ts), each created only when missing, so running it again changes nothing. Run by
# docker-compose.yml's `setup` service (temporalio/admin-tools) and by `npm run rehearsal` (scripts/rehearsal/).
#
# Environment: TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, NAMESPACE_RETENTION (e.g. 30d).
set -eu

temporal operator namespace describe --namespace "$TEMPORAL_NAMESPACE" > /dev/null 2>&1 ||
  temporal operator namespace create --namespace "$TEMPORAL_NAMESPACE" --retention "$NAMESPACE_RETENTION"

# A namespace just created is not yet in every service's namespace cache (it refreshes every 10 s): until it is,
# the search-attribute API answers "Namespace … is not found", so wait for it rather than fail the first `up`.
tries=0
until temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" > /dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "namespace $TEMPORAL_NAMESPACE is still unknown to the search-attribute API after 60 s" >&2
    exit 1
  fi
  sleep 1
done

for name in BolnaBatchId BolnaAgentId CampaignPhase CampaignName; do
  temporal operator search-attribute list --namespace "$TEMPORAL_NAMESPACE" | grep -qw "$name" ||
    temporal operator search-attribute create --namespace "$TEMPORAL_NAMESPACE" --name "$name" --type Keyword
done
