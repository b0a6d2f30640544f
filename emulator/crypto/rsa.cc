#include "emulator/crypto/rsa.h"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include <climits>
#include <cstdint>
#include <stdexcept>
#include <utility>
#include <vector>

#include "emulator/crypto/hash.h"
#include "emulator/crypto/openssl_handles.h"

namespace cogemu::crypto {

namespace {

constexpr int kModulusBits = 2048;
constexpr int kPrimeBits = kModulusBits / 2;
constexpr size_t kSignatureBytes = kModulusBits / 8;
constexpr unsigned long kPublicExponent = 65537;  // NOLINT(runtime/int): BN_set_word's type.

// RAII owners for the OpenSSL objects used here.
struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* p) const { EVP_PKEY_CTX_free(p); }
};
struct BioFree {
  void operator()(BIO* p) const { BIO_free(p); }
};
struct ParamBldFree {
  void operator()(OSSL_PARAM_BLD* p) const { OSSL_PARAM_BLD_free(p); }
};
struct ParamFree {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct OpensslFree {
  void operator()(unsigned char* p) const { OPENSSL_free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using BioPtr = std::unique_ptr<BIO, BioFree>;
using ossl::BnCtxPtr;
using ossl::BnPtr;
using ossl::NewBn;
using ossl::ThrowOpenSsl;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, ParamBldFree>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, ParamFree>;

// Fetches a BIGNUM key parameter (e.g. OSSL_PKEY_PARAM_RSA_N) as minimal big-endian bytes.
std::string GetBnParamBytes(const EVP_PKEY* pkey, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(pkey, name, &raw) != 1) ThrowOpenSsl(std::string("get ") + name);
  BnPtr bn(raw);
  std::string out(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// PEM password callback that refuses encrypted keys instead of prompting on the terminal.
int NoPassword(char* /*buf*/, int /*size*/, int /*rwflag*/, void* /*userdata*/) { return -1; }

}  // namespace

namespace internal {

struct RsaNative {
  PkeyPtr pkey;
  // Contexts initialised once for RS256; each call works on an EVP_PKEY_CTX_dup of them, which
  // skips the per-call algorithm fetch and parameter setup. Never used directly after setup.
  PkeyCtxPtr sign_ctx;
  PkeyCtxPtr verify_ctx;
};

}  // namespace internal

namespace {

// Wraps a parsed/generated EVP_PKEY after checking it is RSA-2048 and preparing its contexts.
std::unique_ptr<internal::RsaNative> MakeNative(PkeyPtr pkey) {
  if (!EVP_PKEY_is_a(pkey.get(), "RSA")) throw std::runtime_error("not an RSA key");
  if (EVP_PKEY_get_bits(pkey.get()) != kModulusBits) {
    throw std::runtime_error("RSA key is not 2048 bits");
  }
  auto native = std::make_unique<internal::RsaNative>();
  native->sign_ctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!native->sign_ctx || EVP_PKEY_sign_init(native->sign_ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(native->sign_ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(native->sign_ctx.get(), EVP_sha256()) != 1) {
    ThrowOpenSsl("RSA sign setup");
  }
  native->verify_ctx.reset(EVP_PKEY_CTX_new_from_pkey(nullptr, pkey.get(), nullptr));
  if (!native->verify_ctx || EVP_PKEY_verify_init(native->verify_ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_padding(native->verify_ctx.get(), RSA_PKCS1_PADDING) != 1 ||
      EVP_PKEY_CTX_set_signature_md(native->verify_ctx.get(), EVP_sha256()) != 1) {
    ThrowOpenSsl("RSA verify setup");
  }
  native->pkey = std::move(pkey);
  return native;
}

}  // namespace

RsaKey::RsaKey(std::unique_ptr<internal::RsaNative> native) : native_(std::move(native)) {
  EVP_PKEY* pkey = native_->pkey.get();

  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), pkey, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    ThrowOpenSsl("PEM_write_bio_PrivateKey");
  }
  char* pem_data = nullptr;
  const long pem_len = BIO_get_mem_data(bio.get(), &pem_data);  // NOLINT(runtime/int)
  private_pem_.assign(pem_data, static_cast<size_t>(pem_len));

  unsigned char* der_raw = nullptr;
  const int der_len = i2d_PUBKEY(pkey, &der_raw);
  if (der_len <= 0) ThrowOpenSsl("i2d_PUBKEY");
  std::unique_ptr<unsigned char, OpensslFree> der(der_raw);
  kid_ = Base64Encode(Sha256(
      std::string_view(reinterpret_cast<const char*>(der.get()), static_cast<size_t>(der_len))));

  jwk_ = nlohmann::json::object();
  jwk_["alg"] = "RS256";
  jwk_["e"] = Base64UrlEncode(GetBnParamBytes(pkey, OSSL_PKEY_PARAM_RSA_E));
  jwk_["kid"] = kid_;
  jwk_["kty"] = "RSA";
  jwk_["n"] = Base64UrlEncode(GetBnParamBytes(pkey, OSSL_PKEY_PARAM_RSA_N));
  jwk_["use"] = "sig";

  // Pairwise consistency check: a key that cannot verify its own signature is corrupt.
  static constexpr std::string_view kProbe = "cogemu rsa pairwise check";
  if (!VerifyRs256(kProbe, SignRs256(kProbe))) {
    throw std::runtime_error("RSA key failed its pairwise consistency check");
  }
}

RsaKey::~RsaKey() = default;

std::shared_ptr<const RsaKey> RsaKey::FromPem(std::string_view pkcs8_private_pem) {
  if (pkcs8_private_pem.size() > static_cast<size_t>(INT_MAX)) {
    throw std::runtime_error("PEM too large");
  }
  BioPtr bio(BIO_new_mem_buf(pkcs8_private_pem.data(), static_cast<int>(pkcs8_private_pem.size())));
  if (!bio) ThrowOpenSsl("BIO_new_mem_buf");
  PkeyPtr pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  if (!pkey) ThrowOpenSsl("invalid RSA private key PEM");
  return std::make_shared<const RsaKey>(MakeNative(std::move(pkey)));
}

std::string RsaKey::SignRs256(std::string_view data) const {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_dup(native_->sign_ctx.get()));
  if (!ctx) ThrowOpenSsl("EVP_PKEY_CTX_dup");
  std::string signature(kSignatureBytes, '\0');
  size_t signature_len = signature.size();
  if (EVP_PKEY_sign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &signature_len,
                    digest, sizeof digest) != 1) {
    ThrowOpenSsl("EVP_PKEY_sign");
  }
  signature.resize(signature_len);
  return signature;
}

bool RsaKey::VerifyRs256(std::string_view data, std::string_view signature) const {
  if (signature.size() != kSignatureBytes) return false;
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  PkeyCtxPtr ctx(EVP_PKEY_CTX_dup(native_->verify_ctx.get()));
  const bool ok =
      ctx && EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                             signature.size(), digest, sizeof digest) == 1;
  if (!ok) ERR_clear_error();  // A bad signature queues errors; don't leak them to other code.
  return ok;
}

namespace {

// Odd primes below 2^15, used to sieve prime candidates before BN_check_prime.
const std::vector<uint32_t>& SmallOddPrimes() {
  static const std::vector<uint32_t> primes = [] {
    constexpr uint32_t kLimit = 1u << 15;
    std::vector<bool> composite(kLimit, false);
    std::vector<uint32_t> out;
    for (uint32_t i = 3; i < kLimit; i += 2) {
      if (composite[i]) continue;
      out.push_back(i);
      for (uint32_t j = i * i; j < kLimit; j += 2 * i) composite[j] = true;
    }
    return out;
  }();
  return primes;
}

bool Cancelled(const std::atomic<bool>* cancel) {
  return cancel != nullptr && cancel->load(std::memory_order_relaxed);
}

// Draws a random 1024-bit candidate (top two bits set, odd) from `random`, then searches upward
// (base, base + 2, ...) for a prime p with gcd(e, p - 1) = 1. Returns nullptr if cancelled.
BnPtr FindPrime(Random& random, const BIGNUM* e, BN_CTX* ctx, const std::atomic<bool>* cancel) {
  constexpr size_t kWindow = 4096;  // Odd offsets sieved per pass.
  const std::vector<uint32_t>& primes = SmallOddPrimes();
  const BN_ULONG e_word = static_cast<BN_ULONG>(kPublicExponent);
  BnPtr candidate = NewBn();
  BnPtr p_minus_1 = NewBn();
  BnPtr gcd = NewBn();
  std::vector<bool> sieved(kWindow);
  for (;;) {
    std::string bytes = random.Bytes(kPrimeBits / 8);
    bytes.front() = static_cast<char>(static_cast<uint8_t>(bytes.front()) | 0xC0);
    bytes.back() = static_cast<char>(static_cast<uint8_t>(bytes.back()) | 0x01);
    BnPtr base(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                         static_cast<int>(bytes.size()), nullptr));
    OPENSSL_cleanse(bytes.data(), bytes.size());
    if (!base) ThrowOpenSsl("BN_bin2bn");
    // Incremental search: window after window from the same random start.
    for (int pass = 0; pass < 16; ++pass) {
      // sieved[k] marks base + 2k as divisible by a small prime, or as p with e | p - 1.
      std::fill(sieved.begin(), sieved.end(), false);
      auto mark = [&](uint64_t modulus, uint64_t residue, uint64_t target) {
        // base + 2k == target (mod modulus)  <=>  k == (target - residue) * inverse(2).
        const uint64_t inv2 = (modulus + 1) / 2;
        uint64_t k = (target + modulus - residue) % modulus * inv2 % modulus;
        for (; k < kWindow; k += modulus) sieved[k] = true;
      };
      for (uint32_t small : primes) {
        const BN_ULONG r = BN_mod_word(base.get(), small);
        if (r == static_cast<BN_ULONG>(-1)) ThrowOpenSsl("BN_mod_word");
        mark(small, static_cast<uint64_t>(r), 0);
      }
      mark(kPublicExponent, static_cast<uint64_t>(BN_mod_word(base.get(), e_word)), 1);

      for (size_t k = 0; k < kWindow; ++k) {
        if (sieved[k]) continue;
        if (Cancelled(cancel)) return nullptr;
        if (!BN_copy(candidate.get(), base.get()) ||
            !BN_add_word(candidate.get(), static_cast<BN_ULONG>(2 * k))) {
          ThrowOpenSsl("BN_add_word");
        }
        if (BN_num_bits(candidate.get()) != kPrimeBits) break;  // Ran off the top: redraw.
        const int is_prime = BN_check_prime(candidate.get(), ctx, nullptr);
        if (is_prime < 0) ThrowOpenSsl("BN_check_prime");
        if (is_prime == 0) continue;
        if (!BN_sub(p_minus_1.get(), candidate.get(), BN_value_one()) ||
            !BN_gcd(gcd.get(), e, p_minus_1.get(), ctx)) {
          ThrowOpenSsl("BN_gcd");
        }
        if (BN_is_one(gcd.get())) return candidate;
      }
      if (!BN_add_word(base.get(), static_cast<BN_ULONG>(2 * kWindow))) ThrowOpenSsl("BN_add_word");
      if (BN_num_bits(base.get()) != kPrimeBits) break;
    }
  }
}

// Builds RSA-2048 from primes drawn from `random` (see GenerateRsaKey). nullptr if cancelled.
PkeyPtr GenerateDeterministic(Random& random, const std::atomic<bool>* cancel) {
  BnCtxPtr ctx(BN_CTX_secure_new());
  if (!ctx) ThrowOpenSsl("BN_CTX_new");
  BnPtr e = NewBn();
  if (!BN_set_word(e.get(), kPublicExponent)) ThrowOpenSsl("BN_set_word");

  BnPtr p = FindPrime(random, e.get(), ctx.get(), cancel);
  if (!p) return nullptr;
  BnPtr q;
  do {
    q = FindPrime(random, e.get(), ctx.get(), cancel);
    if (!q) return nullptr;
  } while (BN_cmp(p.get(), q.get()) == 0);
  if (BN_cmp(p.get(), q.get()) < 0) std::swap(p, q);  // Conventional p > q.
  BN_set_flags(p.get(), BN_FLG_CONSTTIME);
  BN_set_flags(q.get(), BN_FLG_CONSTTIME);

  BnPtr n = NewBn(), p1 = NewBn(), q1 = NewBn(), phi = NewBn(), g = NewBn(), lambda = NewBn();
  BnPtr d = NewBn(), dmp1 = NewBn(), dmq1 = NewBn(), iqmp = NewBn();
  BN_set_flags(d.get(), BN_FLG_CONSTTIME);
  if (!BN_mul(n.get(), p.get(), q.get(), ctx.get()) || !BN_sub(p1.get(), p.get(), BN_value_one()) ||
      !BN_sub(q1.get(), q.get(), BN_value_one()) ||
      !BN_mul(phi.get(), p1.get(), q1.get(), ctx.get()) ||
      !BN_gcd(g.get(), p1.get(), q1.get(), ctx.get()) ||
      !BN_div(lambda.get(), nullptr, phi.get(), g.get(), ctx.get()) ||  // lcm(p-1, q-1)
      !BN_mod_inverse(d.get(), e.get(), lambda.get(), ctx.get()) ||
      !BN_mod(dmp1.get(), d.get(), p1.get(), ctx.get()) ||
      !BN_mod(dmq1.get(), d.get(), q1.get(), ctx.get()) ||
      !BN_mod_inverse(iqmp.get(), q.get(), p.get(), ctx.get())) {
    ThrowOpenSsl("RSA key arithmetic");
  }
  if (BN_num_bits(n.get()) != kModulusBits)
    throw std::runtime_error("RSA modulus is not 2048 bits");

  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp.get())) {
    ThrowOpenSsl("OSSL_PARAM_BLD_push_BN");
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  if (!params) ThrowOpenSsl("OSSL_PARAM_BLD_to_param");
  PkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1 ||
      EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    ThrowOpenSsl("EVP_PKEY_fromdata");
  }
  return PkeyPtr(raw);
}

// OpenSSL keygen progress callback: returning 0 aborts the generation when cancelled.
int KeygenProgress(EVP_PKEY_CTX* ctx) {
  const auto* cancel = static_cast<const std::atomic<bool>*>(EVP_PKEY_CTX_get_app_data(ctx));
  return Cancelled(cancel) ? 0 : 1;
}

// RSA-2048 from OpenSSL's own keygen and the OS RNG. nullptr if cancelled.
PkeyPtr GenerateRandom(const std::atomic<bool>* cancel) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), kModulusBits) != 1) {
    ThrowOpenSsl("RSA keygen setup");
  }
  if (cancel != nullptr) {
    EVP_PKEY_CTX_set_app_data(ctx.get(), const_cast<std::atomic<bool>*>(cancel));
    EVP_PKEY_CTX_set_cb(ctx.get(), KeygenProgress);
  }
  EVP_PKEY* raw = nullptr;
  if (EVP_PKEY_keygen(ctx.get(), &raw) != 1) {
    if (Cancelled(cancel)) {
      ERR_clear_error();
      return nullptr;
    }
    ThrowOpenSsl("EVP_PKEY_keygen");
  }
  return PkeyPtr(raw);
}

}  // namespace

std::shared_ptr<const RsaKey> GenerateRsaKeyCancellable(Random* deterministic,
                                                        const std::atomic<bool>* cancel) {
  PkeyPtr pkey = deterministic != nullptr ? GenerateDeterministic(*deterministic, cancel)
                                          : GenerateRandom(cancel);
  if (!pkey) return nullptr;
  return std::make_shared<const RsaKey>(MakeNative(std::move(pkey)));
}

std::shared_ptr<const RsaKey> GenerateRsaKey(Random* deterministic) {
  return GenerateRsaKeyCancellable(deterministic, nullptr);
}

bool VerifyRs256WithJwk(const nlohmann::json& jwk, std::string_view data, std::string_view signature) {
  if (!jwk.is_object() || jwk.value("kty", "") != "RSA" || !jwk.contains("n") || !jwk["n"].is_string() ||
      !jwk.contains("e") || !jwk["e"].is_string()) {
    return false;
  }
  const auto n_bytes = Base64UrlDecode(jwk["n"].get<std::string>());
  const auto e_bytes = Base64UrlDecode(jwk["e"].get<std::string>());
  if (!n_bytes || !e_bytes || n_bytes->size() < 128 || n_bytes->size() > 1024 || e_bytes->empty() ||
      e_bytes->size() > 8) {
    return false;
  }
  auto bn = [](const std::string& bytes) {
    return BnPtr(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()),
                           nullptr));
  };
  BnPtr n = bn(*n_bytes);
  BnPtr e = bn(*e_bytes);
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!n || !e || !bld || !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) ||
      !OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get())) {
    ERR_clear_error();
    return false;
  }
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr pctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !pctx || EVP_PKEY_fromdata_init(pctx.get()) != 1 ||
      EVP_PKEY_fromdata(pctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    ERR_clear_error();
    return false;
  }
  PkeyPtr pkey(raw);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  const auto* sig = reinterpret_cast<const unsigned char*>(signature.data());
  const auto* msg = reinterpret_cast<const unsigned char*>(data.data());
  const bool ok = md && EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha256(), nullptr, pkey.get()) == 1 &&
                  EVP_DigestVerify(md.get(), sig, signature.size(), msg, data.size()) == 1;
  ERR_clear_error();
  return ok;
}

}  // namespace cogemu::crypto
