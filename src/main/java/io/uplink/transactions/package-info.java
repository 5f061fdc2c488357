/** Hooks on the end of JTA transactions, shared by upstream delivery and downstream sending. */
package io.uplink.transactions;
