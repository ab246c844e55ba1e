import { onBeforeUnmount, ref } from 'vue';
import { TIPOFF_PHOTOS } from '@/api/tipoffs';

/** A chosen photo and the address of its preview. */
export interface ChosenPhoto {
  file: File;
  url: string;
}

/** Why a file was not taken: too many, too large, not a JPEG, PNG or WebP picture. */
export type PhotoRefusal = { name: string; reason: 'count' | 'size' | 'type' };

/**
 * The photos of a tip-off before upload: checked for count, size and type as they are chosen (the
 * server checks again from the bytes), each with a preview address that is released when the
 * photo is removed or the page goes.
 */
export function usePhotos() {
  const photos = ref<ChosenPhoto[]>([]);

  /** Takes the files that pass and answers the ones refused, each with its reason. */
  function add(files: Iterable<File>): PhotoRefusal[] {
    const refused: PhotoRefusal[] = [];
    for (const file of files) {
      if (!(TIPOFF_PHOTOS.types as readonly string[]).includes(file.type)) refused.push({ name: file.name, reason: 'type' });
      else if (file.size > TIPOFF_PHOTOS.maxBytes) refused.push({ name: file.name, reason: 'size' });
      else if (photos.value.length >= TIPOFF_PHOTOS.maxCount) refused.push({ name: file.name, reason: 'count' });
      else photos.value.push({ file, url: URL.createObjectURL(file) });
    }
    return refused;
  }

  function remove(index: number) {
    const [gone] = photos.value.splice(index, 1);
    if (gone) URL.revokeObjectURL(gone.url);
  }

  function clear() {
    for (const photo of photos.value) URL.revokeObjectURL(photo.url);
    photos.value = [];
  }

  onBeforeUnmount(clear);
  return { photos, add, remove, clear };
}
