#include "emulator/store/store.h"

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>

namespace cogemu::store {
namespace {

struct TempStore {
  std::string dir;
  std::unique_ptr<Env> env;
  TempStore() {
    std::string pattern = "/tmp/cogemu-store-test-XXXXXX";
    REQUIRE(mkdtemp(pattern.data()));
    dir = pattern;
    Open();
  }
  void Open() { env = std::make_unique<Env>(EnvOptions{dir, false, size_t{64} << 20}); }
  ~TempStore() {
    env.reset();
    std::filesystem::remove_all(dir);
  }
};

TEST_CASE("store: tuple keys sort component-wise and round-trip") {
  CHECK(keys::Tuple({"a"}) < keys::Tuple({"a", "b"}));
  CHECK(keys::Tuple({"a", "z"}) < keys::Tuple({"ab"}));  // "a" ends before "ab" continues
  CHECK(keys::Tuple({"pool", "x"}).rfind(keys::Prefix({"pool"}), 0) == 0);
  CHECK(keys::Tuple({"poolx"}).rfind(keys::Prefix({"pool"}), 0) != 0);
  std::string nul("a\0b", 3);
  auto parts = keys::Split(keys::Tuple({nul, "\x01", "c"}));
  REQUIRE(parts.size() == 3);
  CHECK(parts[0] == nul);
  CHECK(parts[1] == "\x01");
  CHECK(parts[2] == "c");
  // Long keys stay within LMDB's limit and stay distinct.
  std::string a(600, 'a'), b = a;
  b.back() = 'b';
  CHECK(keys::Tuple({a}).size() <= 511);
  CHECK(keys::Tuple({a}) != keys::Tuple({b}));
}

TEST_CASE("store: a committed write is visible, an uncommitted one is not") {
  TempStore s;
  {
    Txn t(*s.env, Txn::Mode::kWrite);
    t.Put(Table::kMeta, "k", "v1");
    t.Commit();
  }
  {
    Txn t(*s.env, Txn::Mode::kWrite);
    t.Put(Table::kMeta, "k", "v2");
    t.Put(Table::kMeta, "other", "x");
    // destroyed without Commit: aborted
  }
  Txn r(*s.env, Txn::Mode::kRead);
  CHECK(r.Get(Table::kMeta, "k") == std::optional<std::string_view>("v1"));
  CHECK_FALSE(r.Get(Table::kMeta, "other"));
}

TEST_CASE("store: an exception mid-request leaves no partial write") {
  TempStore s;
  try {
    Txn t(*s.env, Txn::Mode::kWrite);
    t.Put(Table::kUserPools, "a", "1");
    throw std::runtime_error("handler failed");
  } catch (const std::runtime_error&) {
  }
  Txn r(*s.env, Txn::Mode::kRead);
  CHECK_FALSE(r.Has(Table::kUserPools, "a"));
}

TEST_CASE("store: insert refuses duplicates; JSON records round-trip") {
  TempStore s;
  Txn t(*s.env, Txn::Mode::kWrite);
  CHECK(t.Insert(Table::kMeta, "u", "1"));
  CHECK_FALSE(t.Insert(Table::kMeta, "u", "2"));
  nlohmann::json rec = {{"Name", "p"}, {"CreationDate", 1700000000.125}, {"List", {1, 2}}};
  t.PutJson(Table::kUserPools, "p", rec);
  CHECK(t.GetJson(Table::kUserPools, "p") == rec);
  CHECK_FALSE(t.GetJson(Table::kUserPools, "missing"));
}

TEST_CASE("store: scans walk one prefix in order, resume after a key, and stop on request") {
  TempStore s;
  Txn t(*s.env, Txn::Mode::kWrite);
  for (const char* c : {"c", "a", "b"}) t.Put(Table::kPoolClients, keys::Tuple({"p1", c}), "");
  t.Put(Table::kPoolClients, keys::Tuple({"p2", "a"}), "");
  t.Put(Table::kPoolClients, keys::Tuple({"p", "zz"}), "");
  std::vector<std::string> seen;
  t.Scan(Table::kPoolClients, keys::Prefix({"p1"}), std::nullopt, [&](std::string_view k, std::string_view) {
    seen.push_back(keys::Split(k)[1]);
    return true;
  });
  CHECK(seen == std::vector<std::string>{"a", "b", "c"});
  seen.clear();
  const std::string after = keys::Tuple({"p1", "a"});
  t.Scan(Table::kPoolClients, keys::Prefix({"p1"}), after, [&](std::string_view k, std::string_view) {
    seen.push_back(keys::Split(k)[1]);
    return seen.size() < 1;
  });
  CHECK(seen == std::vector<std::string>{"b"});
  CHECK(t.Count(Table::kPoolClients, keys::Prefix({"p1"})) == 3);
  CHECK(t.DelPrefix(Table::kPoolClients, keys::Prefix({"p1"})) == 3);
  CHECK(t.Count(Table::kPoolClients, "") == 2);
}

TEST_CASE("store: state survives reopening; Clear empties every table") {
  TempStore s;
  {
    Txn t(*s.env, Txn::Mode::kWrite);
    t.Put(Table::kUserPools, "p", "x");
    t.Put(Table::kClients, "c", "y");
    t.Commit();
  }
  s.Open();
  {
    Txn r(*s.env, Txn::Mode::kRead);
    CHECK(r.Has(Table::kUserPools, "p"));
  }
  s.env->Clear();
  Txn r(*s.env, Txn::Mode::kRead);
  CHECK_FALSE(r.Has(Table::kUserPools, "p"));
  CHECK_FALSE(r.Has(Table::kClients, "c"));
}

}  // namespace
}  // namespace cogemu::store
