/**
 * A small application deployed with the gateway in integration tests, the way an application team
 * adds its own observers: a transactional observer that records what it received (and fails on
 * request), a category-qualified observer, and a REST probe that lets the tests read both.
 */
package io.uplink.it.app;
