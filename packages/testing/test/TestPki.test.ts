import { assert, describe, it } from "@effect/vitest"
import { verify, X509Certificate } from "node:crypto"
import forge from "node-forge"
import * as TestPki from "../src/TestPki.ts"

const pki = TestPki.vgca()
const x509 = (issued: TestPki.Issued) => new X509Certificate(issued.der)

describe("TestPki", () => {
  it("issues the VGCA G2 hierarchy: names, key sizes, SHA-256 signatures", () => {
    const root = x509(pki.root)
    const sub = x509(pki.intermediate)
    const leaf = x509(pki.signer)
    assert.strictEqual(root.subject, "C=VN\nO=Ban Cơ yếu Chính phủ\nCN=RootCA chuyên dùng Chính phủ G2")
    assert.strictEqual(sub.subject, "C=VN\nO=Ban Cơ yếu Chính phủ\nCN=CA phục vụ các cơ quan Nhà nước G2")
    assert.strictEqual(sub.issuer, root.subject)
    assert.strictEqual(leaf.issuer, sub.subject)
    assert.strictEqual(root.publicKey.asymmetricKeyDetails?.modulusLength, 4096)
    assert.strictEqual(leaf.publicKey.asymmetricKeyDetails?.modulusLength, 2048)
    assert.isTrue(root.ca)
    assert.isTrue(sub.ca)
    assert.isFalse(leaf.ca)
    const cert = forge.pki.certificateFromPem(pki.signer.pem)
    assert.strictEqual(forge.pki.oids[cert.siginfo.algorithmOid], "sha256WithRSAEncryption")
  })

  it("every link verifies with node:crypto, and each certificate is pinned by the SHA-256 of its DER", () => {
    assert.isTrue(x509(pki.root).verify(x509(pki.root).publicKey))
    assert.isTrue(x509(pki.intermediate).verify(x509(pki.root).publicKey))
    assert.isTrue(x509(pki.signer).verify(x509(pki.intermediate).publicKey))
    assert.isTrue(x509(pki.ecdsaSigner).verify(x509(pki.intermediate).publicKey))
    assert.strictEqual(pki.root.sha256, x509(pki.root).fingerprint256.replace(/:/g, "").toLowerCase())
  })

  it("the untrusted hierarchy copies every name but no key", () => {
    for (const key of ["root", "intermediate", "signer"] as const) {
      assert.strictEqual(x509(pki.untrusted[key]).subject, x509(pki[key]).subject)
      assert.notStrictEqual(pki.untrusted[key].sha256, pki[key].sha256)
    }
    assert.isFalse(x509(pki.untrusted.intermediate).verify(x509(pki.root).publicKey))
    assert.isFalse(x509(pki.untrusted.signer).verify(x509(pki.intermediate).publicKey))
  })

  it("variants: expired, ECDSA P-256, TSA, RSA-1024, non-CA issuer", () => {
    assert.isBelow(Date.parse(x509(pki.expiredSigner).validTo), TestPki.VALIDATION_TIME.getTime())
    assert.strictEqual(x509(pki.ecdsaSigner).publicKey.asymmetricKeyDetails?.namedCurve, "prime256v1")
    assert.deepStrictEqual(x509(pki.tsa).keyUsage, ["1.3.6.1.5.5.7.3.8"])
    assert.strictEqual(x509(pki.weakSigner).publicKey.asymmetricKeyDetails?.modulusLength, 1024)
    assert.strictEqual(x509(pki.nonCaIssued).issuer, x509(pki.signer).subject)
    assert.isTrue(x509(pki.nonCaIssued).verify(x509(pki.signer).publicKey))
    assert.isFalse(x509(pki.signer).ca)
  })

  it("ECDSA P-384 signer, and misissued certificates that chain to the root but break one constraint each", () => {
    const m = pki.misissued
    assert.strictEqual(x509(pki.p384Signer).publicKey.asymmetricKeyDetails?.namedCurve, "secp384r1")
    assert.isTrue(x509(pki.p384Signer).verify(x509(pki.intermediate).publicKey))
    const links: Array<[TestPki.Issued, TestPki.Issued]> = [
      [m.noKeyCertSignCa, pki.root], [m.underNoKeyCertSign, m.noKeyCertSignCa],
      [m.subCa, pki.intermediate], [m.underSubCa, m.subCa],
      [m.weakCa, pki.root], [m.underWeakCa, m.weakCa],
      [m.noSigningUsage, pki.intermediate]
    ]
    for (const [child, parent] of links) {
      assert.strictEqual(x509(child).issuer, x509(parent).subject)
      assert.isTrue(x509(child).verify(x509(parent).publicKey), x509(child).subject)
    }
    const hex = (issued: TestPki.Issued) => Buffer.from(issued.der).toString("hex")
    // keyUsage extension (2.5.29.15, critical): BIT STRING with its unused-bit count
    const keyUsage = (bits: string) => `0603551d0f0101ff0404${bits}`
    assert.include(hex(m.noKeyCertSignCa), keyUsage("03020102")) // cRLSign only
    // basicConstraints cA true (OpenSSL's own `ca` says false: it folds the missing keyCertSign in)
    assert.include(hex(m.noKeyCertSignCa), "0603551d130101ff040530030101ff")
    assert.isFalse(x509(m.noKeyCertSignCa).ca)
    assert.include(hex(pki.intermediate), keyUsage("03020106")) // keyCertSign, cRLSign
    assert.include(hex(pki.intermediate), "0603551d130101ff040830060101ff020100") // cA, pathLenConstraint 0
    assert.isTrue(x509(m.subCa).ca)
    assert.include(hex(m.noSigningUsage), keyUsage("03020520")) // keyEncipherment only
    assert.include(hex(pki.signer), keyUsage("030206c0")) // digitalSignature, nonRepudiation
    assert.strictEqual(x509(m.weakCa).publicKey.asymmetricKeyDetails?.modulusLength, 1024)
    assert.strictEqual(x509(m.underWeakCa).publicKey.asymmetricKeyDetails?.modulusLength, 2048)
  })

  it("is generated once per process", () => {
    assert.strictEqual(TestPki.vgca(), pki)
  })

  it("converts node:crypto keys to node-forge", () => {
    const key = TestPki.toForgePrivateKey(pki.signer.privateKey)
    const signature = key.sign(forge.md.sha256.create().update("Kho"))
    assert.isTrue(verify("sha256", Buffer.from("Kho"), pki.signer.publicKey, Buffer.from(signature, "binary")))
  })
})
