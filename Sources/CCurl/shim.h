#ifndef DEBRIEF_CCURL_SHIM_H
#define DEBRIEF_CCURL_SHIM_H

// curl's gcc type-checking macros turn curl_easy_setopt into a macro; we call the
// real variadic functions from typed wrappers below instead.
#ifndef CURL_DISABLE_TYPECHECK
#define CURL_DISABLE_TYPECHECK 1
#endif

#include <curl/curl.h>

// Swift cannot call C variadic functions, so every variadic curl entry point we use
// gets one small wrapper per argument type (the same approach as GRDB's sqlite shim).
// Each wrapper passes exactly the type curl documents for the option it is used with.

/// Signature shared by CURLOPT_WRITEFUNCTION and CURLOPT_HEADERFUNCTION.
typedef size_t (*ccurl_data_callback)(char *buffer, size_t size, size_t nitems, void *userdata);

/// curl_global_init(CURL_GLOBAL_DEFAULT); the flag macro is not importable as a constant.
static inline CURLcode ccurl_global_init_default(void) {
    return curl_global_init(CURL_GLOBAL_DEFAULT);
}

/// curl_easy_setopt for options documented as taking a `long`.
static inline CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options documented as taking a `curl_off_t`.
static inline CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options documented as taking a `char *` (curl copies the string,
/// except for CURLOPT_POSTFIELDS, which we never use).
static inline CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options documented as taking an untyped pointer (WRITEDATA,
/// HEADERDATA, PRIVATE, ERRORBUFFER, COPYPOSTFIELDS).
static inline CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for options documented as taking a `struct curl_slist *`.
static inline CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_setopt for CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION.
static inline CURLcode ccurl_easy_setopt_data_callback(CURL *handle, CURLoption option, ccurl_data_callback value) {
    return curl_easy_setopt(handle, option, value);
}

/// curl_easy_getinfo for CURLINFO_* values of type `long`.
static inline CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// curl_easy_getinfo for CURLINFO_* values of type `curl_off_t`.
static inline CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value) {
    return curl_easy_getinfo(handle, info, value);
}

/// curl_multi_setopt for options documented as taking a `long`.
static inline CURLMcode ccurl_multi_setopt_long(CURLM *handle, CURLMoption option, long value) {
    return curl_multi_setopt(handle, option, value);
}

#endif /* DEBRIEF_CCURL_SHIM_H */
