/** The built-in logo (a 64×64 PNG cloud) used for {{platform.logo_url}} until an administrator uploads one. */
export const DEFAULT_LOGO_ID = "default";
export const DEFAULT_LOGO_PNG_BASE64 =
  "iVBORw0KGgoAAAANSUhEUgAAAEAAAABACAYAAACqaXHeAAAAqElEQVR42u3a0Q3DIAwG4SzSlTp/t0lHaKRi8jv+TmKAO/EAhuMAAAAAACCG1/tzjpK9usaKPyrEP+LtQ6yUbxehQr5NhEr5+Ag75GMj7JS/PcBu2ZgIKeK3BEiT3xohVX5LgGT58gDp8qUBOsgLUBVhtHy3AON3QEmEjgGWRhgdoKu8CAIIIMCyCON3gLOAAI7EboaGI2aDRuNehtIj+GEFAAAAAD/4Av+6+sJhPLX/AAAAAElFTkSuQmCC";
