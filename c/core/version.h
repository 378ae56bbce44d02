/* version.h — coopmap release version, shared by every tool. */
#ifndef COOPMAP_VERSION_H
#define COOPMAP_VERSION_H
#define COOPMAP_VERSION "0.1.0"
#endif
