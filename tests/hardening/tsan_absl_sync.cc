// ThreadSanitizer builds only: makes absl::Mutex and absl::CondVar visible to
// TSan.
//
// Debian's Abseil is not built with TSan, so its Mutex synchronises through
// atomics TSan never sees: every access guarded by an absl::Mutex (ours, and
// gRPC's, whose gpr_mu is an absl::Mutex) would be reported as a race. This
// file interposes the out-of-line Mutex and CondVar entry points: each calls
// the real one (found with dlsym(RTLD_NEXT)) and tells TSan about the
// acquire / release it performs. Linked into the executables of the TSan
// pass (tests/hardening/CMakeLists.txt); never into a production build.
#include <dlfcn.h>

#include <cstdio>
#include <cstdlib>

#include "absl/synchronization/mutex.h"

extern "C" {
void __tsan_acquire(void* address);
void __tsan_release(void* address);
}

namespace {

template <typename Function>
Function Real(const char* mangled_name) {
  void* symbol = dlsym(RTLD_NEXT, mangled_name);
  if (symbol == nullptr) {
    std::fprintf(stderr, "tsan_absl_sync: %s not found\n", mangled_name);
    std::abort();
  }
  return reinterpret_cast<Function>(symbol);
}

using MutexCall = void (*)(absl::Mutex*);
using MutexTry = bool (*)(absl::Mutex*);
using MutexCondition = void (*)(absl::Mutex*, const absl::Condition&);
using MutexConditionDeadline = bool (*)(absl::Mutex*, const absl::Condition&,
                                        absl::Time);
using MutexConditionTimeout = bool (*)(absl::Mutex*, const absl::Condition&,
                                       absl::Duration);
using CondVarWait = void (*)(absl::CondVar*, absl::Mutex*);
using CondVarWaitDeadline = bool (*)(absl::CondVar*, absl::Mutex*, absl::Time);
using CondVarWaitTimeout = bool (*)(absl::CondVar*, absl::Mutex*,
                                    absl::Duration);

// The mangled names carry Debian's inline namespace, absl::debian3.
#define FACTGRAPH_ABSL "_ZN4absl7debian3"

}  // namespace

namespace absl {
inline namespace debian3 {

void Mutex::Lock() {
  static const auto real = Real<MutexCall>(FACTGRAPH_ABSL "5Mutex4LockEv");
  real(this);
  __tsan_acquire(this);
}

void Mutex::Unlock() {
  static const auto real = Real<MutexCall>(FACTGRAPH_ABSL "5Mutex6UnlockEv");
  __tsan_release(this);
  real(this);
}

bool Mutex::TryLock() {
  static const auto real = Real<MutexTry>(FACTGRAPH_ABSL "5Mutex7TryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::ReaderLock() {
  static const auto real =
      Real<MutexCall>(FACTGRAPH_ABSL "5Mutex10ReaderLockEv");
  real(this);
  __tsan_acquire(this);
}

void Mutex::ReaderUnlock() {
  static const auto real =
      Real<MutexCall>(FACTGRAPH_ABSL "5Mutex12ReaderUnlockEv");
  __tsan_release(this);
  real(this);
}

bool Mutex::ReaderTryLock() {
  static const auto real =
      Real<MutexTry>(FACTGRAPH_ABSL "5Mutex13ReaderTryLockEv");
  const bool locked = real(this);
  if (locked) __tsan_acquire(this);
  return locked;
}

void Mutex::LockWhen(const Condition& condition) {
  static const auto real =
      Real<MutexCondition>(FACTGRAPH_ABSL "5Mutex8LockWhenERKNS0_9ConditionE");
  real(this, condition);
  __tsan_acquire(this);
}

bool Mutex::LockWhenWithDeadline(const Condition& condition, Time deadline) {
  static const auto real = Real<MutexConditionDeadline>(
      FACTGRAPH_ABSL
      "5Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  const bool result = real(this, condition, deadline);
  __tsan_acquire(this);
  return result;
}

void Mutex::Await(const Condition& condition) {
  static const auto real =
      Real<MutexCondition>(FACTGRAPH_ABSL "5Mutex5AwaitERKNS0_9ConditionE");
  __tsan_release(this);
  real(this, condition);
  __tsan_acquire(this);
}

bool Mutex::AwaitWithTimeout(const Condition& condition, Duration timeout) {
  static const auto real = Real<MutexConditionTimeout>(
      FACTGRAPH_ABSL
      "5Mutex16AwaitWithTimeoutERKNS0_9ConditionENS0_8DurationE");
  __tsan_release(this);
  const bool result = real(this, condition, timeout);
  __tsan_acquire(this);
  return result;
}

bool Mutex::AwaitWithDeadline(const Condition& condition, Time deadline) {
  static const auto real = Real<MutexConditionDeadline>(
      FACTGRAPH_ABSL "5Mutex17AwaitWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  __tsan_release(this);
  const bool result = real(this, condition, deadline);
  __tsan_acquire(this);
  return result;
}

void CondVar::Wait(Mutex* mu) {
  static const auto real =
      Real<CondVarWait>(FACTGRAPH_ABSL "7CondVar4WaitEPNS0_5MutexE");
  __tsan_release(mu);
  real(this, mu);
  __tsan_acquire(mu);
}

bool CondVar::WaitWithTimeout(Mutex* mu, Duration timeout) {
  static const auto real = Real<CondVarWaitTimeout>(
      FACTGRAPH_ABSL "7CondVar15WaitWithTimeoutEPNS0_5MutexENS0_8DurationE");
  __tsan_release(mu);
  const bool result = real(this, mu, timeout);
  __tsan_acquire(mu);
  return result;
}

bool CondVar::WaitWithDeadline(Mutex* mu, Time deadline) {
  static const auto real = Real<CondVarWaitDeadline>(
      FACTGRAPH_ABSL "7CondVar16WaitWithDeadlineEPNS0_5MutexENS0_4TimeE");
  __tsan_release(mu);
  const bool result = real(this, mu, deadline);
  __tsan_acquire(mu);
  return result;
}

}  // namespace debian3
}  // namespace absl
