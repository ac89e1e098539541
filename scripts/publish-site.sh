#!/usr/bin/env bash
# Publishes the web page to a deployed stack: builds frontend/dist if needed, uploads it to the stack's site bucket
# with the right caching, and invalidates CloudFront so viewers get it at once. Needs the AWS CLI and credentials.
#   scripts/publish-site.sh [STACK_NAME]      (default: reel, samconfig.toml's default stack)
#
# Caching: files under assets/ have content hashes in their names and never change: a year, immutable. Everything
# else (index.html, the manifest, icons) is no-cache: browsers and CloudFront revalidate, so a new release shows at
# the next load. Assets go first and index.html last, so no page ever names an asset that is not there yet; assets
# of earlier releases stay (a page loaded before the release still finds them).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
stack=${1:-reel}
command -v aws >/dev/null 2>&1 || { echo "publish-site: needs the AWS CLI (https://aws.amazon.com/cli/)" >&2; exit 2; }

output() {
  aws cloudformation describe-stacks --stack-name "$stack" \
    --query "Stacks[0].Outputs[?OutputKey=='$1'].OutputValue" --output text
}
bucket=$(output SiteBucketName)
distribution=$(output DistributionId)
site=$(output SiteUrl)
if [ -z "$bucket" ] || [ "$bucket" = "None" ] || [ -z "$distribution" ] || [ "$distribution" = "None" ]; then
  echo "publish-site: stack $stack has no SiteBucketName/DistributionId outputs; deploy it first (sam deploy)" >&2
  exit 1
fi

dist="$root/frontend/dist"
if [ ! -f "$dist/index.html" ]; then
  "$root/scripts/frontend.sh" build
fi

echo "publish-site: $dist -> s3://$bucket (distribution $distribution)" >&2
if [ -d "$dist/assets" ]; then
  aws s3 sync "$dist/assets" "s3://$bucket/assets" --cache-control "public, max-age=31536000, immutable" --no-progress
fi
aws s3 sync "$dist" "s3://$bucket" --exclude "assets/*" --exclude "index.html" --cache-control "no-cache" --no-progress
aws s3 cp "$dist/index.html" "s3://$bucket/index.html" --cache-control "no-cache" \
  --content-type "text/html; charset=utf-8" --no-progress
invalidation=$(aws cloudfront create-invalidation --distribution-id "$distribution" --paths "/*" \
  --query Invalidation.Id --output text)
echo "publish-site: invalidation $invalidation started; the page is at $site" >&2
