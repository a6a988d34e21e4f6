package main

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
)

// command is one entry of a module's ngx_command_t table.
type command struct {
	Name       string
	Module     string
	ModuleType uint64 // ngx_module_t.type: "CORE", "HTTP", "EVNT", "STRM", "MAIL", "CONF" as a little-endian number
	Type       uint64 // ngx_command_t.type: context and argument bits
}

// image is a loaded 64-bit little-endian ELF file with its relocations
// resolved far enough to follow the pointers of static data.
type image struct {
	f      *elf.File
	relocs map[uint64]uint64 // address of a pointer -> address it points to
	syms   map[string]elf.Symbol
}

func openImage(path string) (*image, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	if f.Class != elf.ELFCLASS64 || f.Data != elf.ELFDATA2LSB || f.Machine != elf.EM_X86_64 {
		f.Close()
		return nil, fmt.Errorf("%s: only x86-64 ELF images are supported", path)
	}
	im := &image{f: f, relocs: map[uint64]uint64{}, syms: map[string]elf.Symbol{}}
	dsyms, err := f.DynamicSymbols()
	if err != nil {
		f.Close()
		return nil, err
	}
	for _, s := range dsyms {
		if s.Section != elf.SHN_UNDEF {
			im.syms[s.Name] = s
		}
	}
	// In a position-independent image every pointer in static data is
	// zero on disk and filled in by the dynamic linker from .rela.dyn.
	for _, sec := range f.Sections {
		if sec.Type != elf.SHT_RELA {
			continue
		}
		data, err := sec.Data()
		if err != nil {
			f.Close()
			return nil, err
		}
		for i := 0; i+24 <= len(data); i += 24 {
			off := binary.LittleEndian.Uint64(data[i:])
			info := binary.LittleEndian.Uint64(data[i+8:])
			addend := binary.LittleEndian.Uint64(data[i+16:])
			typ := elf.R_X86_64(info & 0xffffffff)
			symIdx := int(info >> 32)
			switch typ {
			case elf.R_X86_64_RELATIVE:
				im.relocs[off] = addend
			case elf.R_X86_64_64, elf.R_X86_64_GLOB_DAT:
				if symIdx > 0 && symIdx <= len(dsyms) {
					s := dsyms[symIdx-1] // DynamicSymbols drops the null symbol
					if s.Section != elf.SHN_UNDEF {
						im.relocs[off] = s.Value + addend
					} else {
						im.relocs[off] = 0 // defined in another image (the nginx binary)
					}
				}
			}
		}
	}
	return im, nil
}

func (im *image) read(addr uint64, n int) ([]byte, error) {
	for _, sec := range im.f.Sections {
		if sec.Type == elf.SHT_NOBITS || sec.Addr == 0 {
			continue
		}
		if addr >= sec.Addr && addr+uint64(n) <= sec.Addr+sec.Size {
			buf := make([]byte, n)
			_, err := sec.ReadAt(buf, int64(addr-sec.Addr))
			return buf, err
		}
	}
	return nil, fmt.Errorf("address %#x is not in the image", addr)
}

func (im *image) word(addr uint64) (uint64, error) {
	b, err := im.read(addr, 8)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

// pointer reads a pointer, preferring its relocation.
func (im *image) pointer(addr uint64) (uint64, error) {
	if v, ok := im.relocs[addr]; ok {
		return v, nil
	}
	return im.word(addr)
}

// Layout of the structures on x86-64 (src/core/ngx_module.h, ngx_conf_file.h).
const (
	moduleCommands = 8 * 8 // ngx_module_t.commands
	moduleType     = 9 * 8 // ngx_module_t.type
	commandSize    = 7 * 8 // sizeof(ngx_command_t)
)

// commands returns the command tables of every module listed in the image's
// ngx_modules array (the modules it defines).
func (im *image) commands() ([]command, error) {
	mods, ok1 := im.syms["ngx_modules"]
	names, ok2 := im.syms["ngx_module_names"]
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("no ngx_modules/ngx_module_names symbols")
	}
	var out []command
	for i := uint64(0); ; i++ {
		mod, err := im.pointer(mods.Value + 8*i)
		if err != nil {
			return nil, err
		}
		if mod == 0 {
			break
		}
		np, err := im.pointer(names.Value + 8*i)
		if err != nil {
			return nil, err
		}
		name, err := im.cstring(np)
		if err != nil {
			return nil, err
		}
		mtype, err := im.word(mod + moduleType)
		if err != nil {
			return nil, err
		}
		cmds, err := im.pointer(mod + moduleCommands)
		if err != nil {
			return nil, err
		}
		for c := cmds; cmds != 0; c += commandSize {
			n, err := im.word(c)
			if err != nil {
				return nil, err
			}
			if n == 0 {
				break
			}
			p, err := im.pointer(c + 8)
			if err != nil {
				return nil, err
			}
			b, err := im.read(p, int(n))
			if err != nil {
				return nil, err
			}
			typ, err := im.word(c + 16)
			if err != nil {
				return nil, err
			}
			out = append(out, command{Name: string(b), Module: name, ModuleType: mtype, Type: typ})
		}
	}
	return out, nil
}

func (im *image) cstring(addr uint64) (string, error) {
	var s []byte
	for {
		b, err := im.read(addr, 1)
		if err != nil {
			return "", err
		}
		if b[0] == 0 {
			return string(s), nil
		}
		s = append(s, b[0])
		addr++
	}
}

// readCommands collects the command tables of the given images.
func readCommands(paths []string) ([]command, error) {
	var all []command
	for _, p := range paths {
		im, err := openImage(p)
		if err != nil {
			return nil, err
		}
		cmds, err := im.commands()
		im.f.Close()
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		all = append(all, cmds...)
	}
	return all, nil
}
