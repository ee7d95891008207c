/* broken_no_entry.c: a shared object without parlab_plugin(). */
int not_a_plugin(void);
__attribute__((visibility("default"))) int not_a_plugin(void) { return 42; }
