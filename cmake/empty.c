/* keeps a layer library non-empty while its folder has no code yet */
typedef int ds_empty_translation_unit;
