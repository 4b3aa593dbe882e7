#!/usr/bin/env bash
# Asks the OCSP responder about every certificate given over GET (RFC 6960 A.1: the base64 of the DER request,
# percent-encoded once, as openssl, Go and NSS send it), with curl, and checks each answer with openssl: signed by a
# responder that chains to ROOT, about that certificate. Prints one summary line: how many answered good, revoked or
# otherwise, and how many requests held '+' or '/' (the characters a double decoding or a path router breaks).
# Exits non-zero unless every certificate got a verified good or revoked answer.
#   bash deploy/local/ocsp-get.sh OCSP_URL ISSUER_PEM ROOT_PEM CERT_PEM...
set -euo pipefail
[ $# -ge 4 ] || { echo "usage: ocsp-get.sh OCSP_URL ISSUER_PEM ROOT_PEM CERT_PEM..." >&2; exit 2; }
url=${1%/}; issuer=$2; root=$3; shift 3
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
good=0; revoked=0; failed=0; plus=0; slash=0
for cert in "$@"; do
  openssl ocsp -issuer "$issuer" -cert "$cert" -no_nonce -reqout "$tmp/req.der" >/dev/null
  b64=$(base64 -w0 "$tmp/req.der")
  case $b64 in *+*) plus=$((plus + 1)) ;; esac
  case $b64 in */*) slash=$((slash + 1)) ;; esac
  encoded=$(printf '%s' "$b64" | sed -e 's/%/%25/g' -e 's/+/%2B/g' -e 's#/#%2F#g' -e 's/=/%3D/g')
  status=failed
  if curl -fsS -o "$tmp/resp.der" "$url/$encoded" 2>"$tmp/curl.err"; then
    answer=$(openssl ocsp -respin "$tmp/resp.der" -issuer "$issuer" -cert "$cert" -CAfile "$root" \
      -verify_other "$issuer" 2>&1 || true)
    if printf '%s\n' "$answer" | grep -q '^Response verify OK'; then
      status=$(printf '%s\n' "$answer" | grep "^$cert:" | sed 's/^.*: //' | head -1)
    fi
  fi
  case $status in
    good) good=$((good + 1)) ;;
    revoked) revoked=$((revoked + 1)) ;;
    *) failed=$((failed + 1)); echo "OCSP GET failed for $cert: ${status:-no status}" >&2 ;;
  esac
done
echo "OCSP over GET: $# certificates: $good good, $revoked revoked, $failed failed; requests with '+': $plus, with '/': $slash"
[ "$failed" = 0 ]
