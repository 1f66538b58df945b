#!/bin/sh
# The fuzz campaign's own seed corpus, made with the OpenSSL CLI (3.0) in this directory:
# small certificates, requests, keys, PKCS#7 and PKCS#12 files that exercise every field and
# extension the readers decode. Key derivations use 1 iteration so that an execution stays fast
# (the work budget is fuzzed by inflating iteration counts, see ../mutate/der.ts). Password: fuzz.
# Third-party fixtures are read from ../shared/fixtures by the campaign, never copied here.
# The backup corpus comes from make-backup.ts (the project's own backup writer).
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pw=pass:fuzz

cat > "$tmp/leaf.cnf" <<'EOF'
[req]
distinguished_name = dn
prompt = no
[dn]
C = DE
O = Certdesk Fuzz
CN = appliance.example.test
[leaf]
basicConstraints = critical, CA:false
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth, clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid, issuer
subjectAltName = DNS:appliance.example.test, DNS:*.mgmt.example.test, IP:192.0.2.10, IP:2001:db8::10, email:admin@example.test, URI:https://example.test/, dirName:alt_dn, otherName:1.3.6.1.4.1.311.20.2.3;UTF8:upn@example.test
certificatePolicies = 2.23.140.1.2.1, @policy
crlDistributionPoints = URI:http://crl.example.test/ca.crl
authorityInfoAccess = OCSP;URI:http://ocsp.example.test, caIssuers;URI:http://ca.example.test/ca.cer
1.3.6.1.4.1.55555.1 = ASN1:SEQUENCE:unknown_ext
[alt_dn]
CN = directory name
[policy]
policyIdentifier = 1.3.6.1.4.1.55555.2
CPS.1 = https://example.test/cps
userNotice.1 = @notice
[notice]
explicitText = UTF8:Notice text
organization = Certdesk Fuzz
noticeNumbers = 1, 2
[unknown_ext]
a = UTF8:unknown extension value
b = UTCTIME:250101000000Z
c = GENTIME:20500101000000Z
d = BMPSTRING:bmp
[ca]
basicConstraints = critical, CA:true, pathlen:1
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
nameConstraints = critical, permitted;DNS:example.test, permitted;IP:192.0.2.0/255.255.255.0, excluded;DNS:bad.example.test, excluded;email:example.org, permitted;dirName:nc_dn
policyConstraints = requireExplicitPolicy:0, inhibitPolicyMapping:1
inhibitAnyPolicy = 0
policyMappings = 1.3.6.1.4.1.55555.3:1.3.6.1.4.1.55555.4
[nc_dn]
O = Certdesk Fuzz
[req_ext]
subjectAltName = DNS:request.example.test, IP:192.0.2.20
keyUsage = critical, digitalSignature
extendedKeyUsage = serverAuth
[req_attrs]
EOF

# Keys: P-256 CA and leaf, RSA-1024 (small keeps executions fast; size rules are fuzzed by mutation), Ed25519.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ca.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$tmp/ec.key"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out "$tmp/rsa.key"
openssl genpkey -algorithm ED25519 -out "$tmp/ed25519.key"
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-384 -out "$tmp/p384.key"

# Certificates: a CA with name and policy constraints, a leaf with every common extension (EC and
# RSA), an RSA-PSS signature, an Ed25519 self-signed certificate.
openssl req -new -x509 -config "$tmp/leaf.cnf" -extensions ca -key "$tmp/ca.key" -subj "/C=DE/O=Certdesk Fuzz/CN=Certdesk Fuzz CA" -days 3650 -set_serial 1 -out "$tmp/ca.pem"
openssl req -new -config "$tmp/leaf.cnf" -key "$tmp/ec.key" -reqexts req_ext -out "$tmp/ec.csr"
openssl x509 -req -in "$tmp/ec.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial 0x7f0102030405060708 -days 397 -extfile "$tmp/leaf.cnf" -extensions leaf -out "$tmp/ec-leaf.pem"
openssl req -new -config "$tmp/leaf.cnf" -key "$tmp/rsa.key" -subj "/CN=rsa.example.test/emailAddress=admin@example.test" -out "$tmp/rsa.csr"
openssl x509 -req -in "$tmp/rsa.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca.key" -set_serial 2 -days 30 -extfile "$tmp/leaf.cnf" -extensions leaf -out "$tmp/rsa-leaf.pem"
openssl req -new -x509 -key "$tmp/rsa.key" -subj "/CN=pss.example.test" -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -days 30 -out "$tmp/rsa-pss.pem"
openssl req -new -x509 -key "$tmp/ed25519.key" -subj "/CN=ed25519.example.test" -days 30 -out "$tmp/ed25519.pem"
openssl req -new -x509 -key "$tmp/p384.key" -subj "/CN=p384.example.test/O=Certdesk Fuzz" -days 30 -sha384 -out "$tmp/p384-selfsigned.pem"
# A DSA root, as old ones are: its self-signature is checked by the legacy verifier (signatures/legacy.ts).
openssl genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:1024 -pkeyopt dsa_paramgen_q_bits:160 -out "$tmp/dsa.param"
openssl genpkey -paramfile "$tmp/dsa.param" -out "$tmp/dsa.key"
openssl req -new -x509 -key "$tmp/dsa.key" -subj "/CN=dsa.example.test" -days 30 -sha1 -out "$tmp/dsa-selfsigned.pem"
for c in ca ec-leaf rsa-leaf rsa-pss ed25519 p384-selfsigned dsa-selfsigned; do openssl x509 -in "$tmp/$c.pem" -outform DER -out "cert-$c.der"; done
cp "$tmp/ec-leaf.pem" cert-ec-leaf.pem
openssl x509 -in "$tmp/ca.pem" -trustout -addtrust serverAuth -out cert-ca-trusted.pem
cat "$tmp/ec-leaf.pem" "$tmp/ca.pem" > chain.pem
openssl base64 -in cert-rsa-leaf.der -out cert-rsa-leaf.b64

# Requests: with extensions (DER), with a challenge password (PEM), Ed25519.
openssl req -in "$tmp/ec.csr" -outform DER -out csr-ec.der
openssl req -new -key "$tmp/rsa.key" -subj "/CN=challenge.example.test" -passin pass: -out csr-rsa-challenge.pem -config /dev/stdin <<'EOF'
[req]
distinguished_name = dn
attributes = attrs
prompt = no
[dn]
CN = challenge.example.test
[attrs]
challengePassword = a challenge
unstructuredName = unstructured
EOF
openssl req -new -key "$tmp/ed25519.key" -subj "/CN=ed.example.test" -outform DER -out csr-ed25519.der

# Keys in every form decode reads.
openssl pkcs8 -topk8 -nocrypt -in "$tmp/ec.key" -outform DER -out key-ec.pkcs8.der
openssl pkcs8 -topk8 -nocrypt -in "$tmp/rsa.key" -outform DER -out key-rsa.pkcs8.der
openssl rsa -in "$tmp/rsa.key" -traditional -outform DER -out key-rsa.pkcs1.der
openssl ec -in "$tmp/ec.key" -outform DER -out key-ec.sec1.der
openssl ec -in "$tmp/p384.key" -out key-p384.sec1.pem
openssl pkcs8 -topk8 -in "$tmp/ec.key" -v2 aes-256-cbc -v2prf hmacWithSHA256 -iter 1 -passout $pw -outform DER -out key-ec.enc-pbes2.der
openssl pkcs8 -topk8 -in "$tmp/rsa.key" -v1 PBE-SHA1-3DES -iter 1 -passout $pw -out key-rsa.enc-pbe-3des.pem
openssl pkcs8 -topk8 -nocrypt -in "$tmp/ed25519.key" -outform DER -out key-ed25519.pkcs8.der
openssl ec -in "$tmp/ec.key" -aes128 -passout $pw -out key-ec.legacy-encrypted.pem
openssl pkey -in "$tmp/ec.key" -pubout -outform DER -out pubkey-ec.der
cat "$tmp/ec-leaf.pem" key-rsa.enc-pbe-3des.pem > cert-and-encrypted-key.pem
{ cat "$tmp/ec-leaf.pem"; openssl pkcs8 -topk8 -nocrypt -in "$tmp/ec.key"; cat "$tmp/ca.pem"; } > cert-key-chain.pem

# PKCS#7 bundles.
openssl crl2pkcs7 -nocrl -certfile chain.pem -outform DER -out chain.p7b
openssl crl2pkcs7 -nocrl -certfile chain.pem -out chain.p7b.pem

# PKCS#12 with 1 iteration: OpenSSL 3 default (PBES2/AES-256, SHA-256 MAC), legacy RC2/3DES,
# no MAC, unencrypted bags, certificates only, key only.
openssl pkcs12 -export -inkey "$tmp/ec.key" -in "$tmp/ec-leaf.pem" -certfile "$tmp/ca.pem" -name leaf -iter 1 -passout $pw -out p12-modern.p12
openssl pkcs12 -export -legacy -inkey "$tmp/rsa.key" -in "$tmp/rsa-leaf.pem" -name legacy -iter 1 -passout $pw -out p12-legacy.p12
openssl pkcs12 -export -inkey "$tmp/ec.key" -in "$tmp/ec-leaf.pem" -nomac -iter 1 -passout $pw -out p12-nomac.p12
openssl pkcs12 -export -inkey "$tmp/ec.key" -in "$tmp/ec-leaf.pem" -keypbe NONE -certpbe NONE -iter 1 -passout $pw -out p12-plain.p12
openssl pkcs12 -export -nokeys -in chain.pem -iter 1 -passout $pw -out p12-certs-only.p12
openssl pkcs12 -export -nocerts -inkey "$tmp/ec.key" -iter 1 -passout $pw -out p12-key-only.p12
